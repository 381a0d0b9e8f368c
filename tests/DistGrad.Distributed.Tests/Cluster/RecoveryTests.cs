using DistGrad.Distributed.Tests.Training;
using DistGrad.Distributed.Nodes;
using System.Text.Json;
using DistGrad.Distributed.Cli;
using DistGrad.Distributed.Running;

namespace DistGrad.Distributed.Tests.Cluster;

/// <summary>
/// Fault tolerance on the embedded cluster: checkpoints, recovery after losing a node, and --resume; each
/// must end with final parameters bit-identical to a run that never failed. A node of the embedded cluster
/// is stopped by terminating its ActorSystem, which leaves the cluster first (the SIGTERM path); the
/// multi-process tests kill -9 node-host processes.
/// </summary>
[Collection(ClusterCollection.Name)]
public class RecoveryTests
{
    private static readonly string[] Job =
    [
        "--steps", "30", "--batch-size", "32", "--data-parallel", "2", "--local-nodes", "3", "--seed", "9",
        "--clip-grad-norm", "1.0", "--step-timeout", "10", "--worker-wait", "20", "--no-eval",
    ];

    private static async Task<byte[]> UninterruptedFinal()
    {
        using var dir = new TempDirectory();
        var outcome = await TrainCommand.RunAsync(TestJobs.Catalog, TrainOptionsParser.Parse([.. Job, "--out", dir.Path]), TextWriter.Null, interactive: false);
        Assert.True(outcome.Succeeded, outcome.Error);
        return File.ReadAllBytes(Path.Combine(dir.Path, "final.safetensors"));
    }

    [Fact]
    public async Task A_pipeline_that_loses_a_stage_recovers_from_its_checkpoint_and_ends_as_an_unbroken_run()
    {
        string[] pipeline = [.. Job, "--data-parallel", "1", "--pipeline-stages", "2", "--micro-batches", "4", "--checkpoint-every", "5"];
        using var unbroken = new TempDirectory();
        var reference = await TrainCommand.RunAsync(TestJobs.Catalog, TrainOptionsParser.Parse([.. pipeline, "--out", unbroken.Path]), TextWriter.Null, interactive: false);
        Assert.True(reference.Succeeded, reference.Error);
        using var dir = new TempDirectory();

        var outcome = await TrainCommand.RunAsync(TestJobs.Catalog,
            TrainOptionsParser.Parse([.. pipeline, "--out", dir.Path]), TextWriter.Null, interactive: false, new NodeKiller(afterStep: 7, aWorkerNode: true));

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Equal(1, outcome.Recoveries);
        // Both stages' shards are in every checkpoint, and rank 0 gathers the whole model at the end.
        Assert.Equal(2, Directory.GetFiles(Path.Combine(dir.Path, "checkpoints", "step-00000030"), "rank-*.safetensors").Length);
        Assert.Equal(File.ReadAllBytes(Path.Combine(unbroken.Path, "final.safetensors")), File.ReadAllBytes(Path.Combine(dir.Path, "final.safetensors")));
    }

    [Fact]
    public async Task A_lost_node_rolls_the_job_back_to_its_last_checkpoint_and_it_ends_as_an_unbroken_run()
    {
        using var dir = new TempDirectory();
        var killer = new NodeKiller(afterStep: 7, aWorkerNode: true);
        var output = new StringWriter();

        var outcome = await TrainCommand.RunAsync(TestJobs.Catalog,
            TrainOptionsParser.Parse([.. Job, "--checkpoint-every", "5", "--checkpoint-keep", "2", "--out", dir.Path]), output, interactive: false, killer);

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Equal(1, outcome.Recoveries);
        Assert.Equal(30, outcome.Steps);
        Assert.Equal(await UninterruptedFinal(), File.ReadAllBytes(Path.Combine(dir.Path, "final.safetensors")));
        Assert.Contains("recovered in", output.ToString(), StringComparison.Ordinal);
        Assert.Matches("recovered in [0-9.]+ s from step (5|10|15) after: worker rank", output.ToString());

        // Keep 2: the checkpoints of steps 25 and 30 remain, each whole.
        Assert.Equal(["step-00000025", "step-00000030"], Directory.GetDirectories(Path.Combine(dir.Path, "checkpoints")).Select(Path.GetFileName).Order());
        Assert.True(File.Exists(Path.Combine(dir.Path, "checkpoints", "step-00000030", "checkpoint.json")));
        // metrics.jsonl keeps one line per step although the steps after the checkpoint ran twice.
        Assert.Equal(Enumerable.Range(1, 30), File.ReadAllLines(Path.Combine(dir.Path, "metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("step").GetInt32()));
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "summary.json")));
        Assert.Equal(1, summary.RootElement.GetProperty("recoveries").GetInt32());
        Assert.InRange(summary.RootElement.GetProperty("recovery_seconds")[0].GetDouble(), 0.0, 20.0);
    }

    [Fact]
    public async Task Resume_after_the_whole_job_stopped_equals_the_unbroken_run_and_skips_a_corrupt_checkpoint()
    {
        using var dir = new TempDirectory();
        // The job loses a node with recovery off (--max-restarts 0): it stops, leaving its checkpoints so far.
        var stopped = await TrainCommand.RunAsync(TestJobs.Catalog,
            TrainOptionsParser.Parse([.. Job, "--checkpoint-every", "5", "--max-restarts", "0", "--out", dir.Path]), TextWriter.Null, interactive: false, new NodeKiller(afterStep: 12, aWorkerNode: true));
        Assert.False(stopped.Succeeded);
        Assert.Contains("gave up after 0 recoveries", stopped.Error, StringComparison.Ordinal);

        // Resume continues from the newest checkpoint in the same run directory.
        using var copy = new TempDirectory();
        CopyDirectory(dir.Path, copy.Path);
        var resumed = await TrainCommand.RunAsync(TestJobs.Catalog,
            TrainOptionsParser.Parse([.. Job, "--checkpoint-every", "5", "--resume", dir.Path, "--out", dir.Path]), TextWriter.Null, interactive: false);
        Assert.True(resumed.Succeeded, resumed.Error);
        var unbroken = await UninterruptedFinal();
        Assert.Equal(unbroken, File.ReadAllBytes(Path.Combine(dir.Path, "final.safetensors")));
        using (var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "summary.json"))))
        {
            Assert.Equal(NewestCheckpoint(copy.Path), summary.RootElement.GetProperty("resumed_from_step").GetInt32());
        }

        // A flipped byte in the newest checkpoint: resume falls back to the one before, says why, and still ends the same.
        var newest = NewestCheckpoint(copy.Path);
        Assert.True(newest >= 10, $"the stopped job should have left two checkpoints, the newest is of step {newest}");
        var shard = Path.Combine(copy.Path, "checkpoints", $"step-{newest:D8}", "rank-00001.safetensors");
        var bytes = File.ReadAllBytes(shard);
        bytes[^7] ^= 0x40;
        File.WriteAllBytes(shard, bytes);
        var output = new StringWriter();
        var fallback = await TrainCommand.RunAsync(TestJobs.Catalog,
            TrainOptionsParser.Parse([.. Job, "--checkpoint-every", "5", "--resume", copy.Path, "--out", copy.Path]), output, interactive: false);
        Assert.True(fallback.Succeeded, fallback.Error);
        Assert.Contains($"step {newest}: rank-00001.safetensors checksum mismatch", output.ToString(), StringComparison.Ordinal);
        Assert.Contains($"resumed from the checkpoint of step {newest - 5}", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(unbroken, File.ReadAllBytes(Path.Combine(copy.Path, "final.safetensors")));
    }

    [Fact]
    public async Task Resume_refuses_a_checkpoint_of_another_job()
    {
        using var dir = new TempDirectory();
        var first = await TrainCommand.RunAsync(TestJobs.Catalog, TrainOptionsParser.Parse([.. Job, "--steps", "5", "--checkpoint-every", "5", "--out", dir.Path]), TextWriter.Null, interactive: false);
        Assert.True(first.Succeeded, first.Error);

        var other = await TrainCommand.RunAsync(TestJobs.Catalog, TrainOptionsParser.Parse([.. Job, "--seed", "10", "--resume", dir.Path, "--out", dir.Path + "-other"]), TextWriter.Null, interactive: false);

        Assert.False(other.Succeeded);
        Assert.Contains("belongs to another job (seed 9 there, 10 here)", other.Error, StringComparison.Ordinal);
    }

    private static int NewestCheckpoint(string runDirectory) =>
        Directory.GetDirectories(Path.Combine(runDirectory, "checkpoints"), "step-*")
            .Where(d => File.Exists(Path.Combine(d, "checkpoint.json")))
            .Max(d => int.Parse(Path.GetFileName(d)["step-".Length..], System.Globalization.CultureInfo.InvariantCulture));

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }
}
