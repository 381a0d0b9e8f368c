using System.Text.Json;
using DistGrad.Distributed.Checkpoints;
using DistGrad.Distributed.Cli;
using DistGrad.Distributed.Coordination;
using DistGrad.Distributed.Running;
using DistGrad.Distributed.Tests.Training;

namespace DistGrad.Distributed.Tests.Cluster;

/// <summary>
/// A coordinator whose run directory another coordinator has claimed since (a standby that took over while this one
/// was cut off) commits no checkpoint more and ends without writing the run directory's summary.
/// </summary>
[Collection(ClusterCollection.Name)]
public class FencingTests
{
    [Fact]
    public async Task A_coordinator_whose_run_directory_was_claimed_by_a_newer_one_commits_nothing_more()
    {
        using var dir = new TempDirectory();
        var options = TrainOptionsParser.Parse([
            "--steps", "40", "--batch-size", "32", "--data-parallel", "2", "--local-nodes", "2", "--seed", "9",
            "--checkpoint-every", "5", "--checkpoint-keep", "10", "--step-timeout", "10", "--no-eval", "--out", dir.Path]);
        var checkpoints = Path.Combine(dir.Path, "checkpoints");
        var thief = new EpochClaimer(afterStep: 7, checkpoints);

        var outcome = await TrainCommand.RunAsync(TestJobs.Catalog, options, TextWriter.Null, interactive: false, thief);

        Assert.False(outcome.Succeeded);
        Assert.True(outcome.RanElsewhere);
        Assert.Equal("a newer coordinator (epoch 2) has taken this run directory over; this one (epoch 1) is stale and commits nothing more", outcome.Error);
        var committed = Directory.GetDirectories(checkpoints, "step-*").Where(d => File.Exists(Path.Combine(d, "checkpoint.json"))).Select(Path.GetFileName).ToList();
        Assert.Equal(["step-00000005"], committed);
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(checkpoints, "step-00000005", "checkpoint.json")));
        Assert.Equal("1", manifest.RootElement.GetProperty("metadata").GetProperty(CoordinatorEpoch.MetadataKey).GetString());
        Assert.False(File.Exists(Path.Combine(dir.Path, "summary.json")), "a fenced coordinator wrote the run directory's summary");
    }

    /// <summary>Claims the next coordinator epoch once the job has done <c>afterStep</c> steps, as a standby taking over would.</summary>
    private sealed class EpochClaimer(int afterStep, string root) : IClusterWatcher
    {
        public void Attach(LocalCluster cluster)
        {
        }

        public void OnPhase(string phase)
        {
        }

        public void OnStart(int totalSteps, int stepsPerEpoch)
        {
        }

        public void OnStep(StepRecord record)
        {
            if (record.Step == afterStep)
            {
                CoordinatorEpoch.Claim(root);
            }
        }
    }
}
