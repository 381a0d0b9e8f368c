using System.Text.Json;
using System.Xml.Linq;
using DistGrad.Distributed.Tests.Training;
using DistGrad.Distributed.Cli;
using DistGrad.Distributed.Running;
using DistGrad.Serialization;

namespace DistGrad.Distributed.Tests.Cluster;

/// <summary>Pipeline layouts on the embedded cluster: stages on different nodes, activations on the TCP data plane.</summary>
[Collection(ClusterCollection.Name)]
public class EmbeddedPipelineTests
{
    [Theory]
    [InlineData("1", "1f1b")]
    [InlineData("2", "gpipe")]
    public async Task A_pipeline_trains_to_the_single_process_result_and_writes_its_timeline(string dataParallel, string schedule)
    {
        using var dir = new TempDirectory();
        var options = TrainOptionsParser.Parse([
            "--pipeline-stages", "2", "--micro-batches", "4", "--schedule", schedule, "--data-parallel", dataParallel,
            "--steps", "5", "--batch-size", "32", "--clip-grad-norm", "1.0", "--seed", "5", "--step-timeout", "30", "--out", dir.Path]);

        var outcome = await TrainCommand.RunAsync(TestJobs.Catalog, options, TextWriter.Null, interactive: false);

        Assert.True(outcome.Succeeded, outcome.Error);
        var reference = SingleProcessReference.Train(options.Spec, LocalReplicas.Train, 5);
        var final = SafeTensors.Load(Path.Combine(dir.Path, "final.safetensors"));
        Assert.Equal(["0.bias", "0.weight", "2.bias", "2.weight", "4.bias", "4.weight"], final.Keys.Order());
        Assert.True(SingleProcessReference.MaxAbsDifference(reference, final) <= 1e-5f);

        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "summary.json")));
        var s = summary.RootElement;
        Assert.InRange(s.GetProperty("test_accuracy").GetDouble(), 0.2, 1.0);
        Assert.Equal(2, s.GetProperty("layout").GetProperty("pipeline_stages").GetInt32());
        var pipeline = s.GetProperty("pipeline");
        Assert.Equal(schedule, pipeline.GetProperty("schedule").GetString());
        Assert.Equal("1,4", pipeline.GetProperty("partition").GetString());
        Assert.Equal(1.0 / 5, pipeline.GetProperty("bubble_fraction_theoretical").GetDouble(), 1e-4);
        Assert.InRange(pipeline.GetProperty("bubble_fraction_measured").GetDouble(), 0.0, 1.0);
        Assert.Equal(2, pipeline.GetProperty("peak_activation_bytes_by_stage").GetArrayLength());

        // 5 steps × D replicas × 2 stages × (4 forwards + 4 backwards) compute boxes in the trace.
        using var trace = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "timeline.json")));
        var events = trace.RootElement.GetProperty("traceEvents").EnumerateArray().Where(e => e.GetProperty("ph").GetString() == "X").ToArray();
        var d = int.Parse(dataParallel, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(5 * d * 2 * 8, events.Count(e => e.GetProperty("name").GetString()![0] is 'F' or 'B'));
        var svg = XDocument.Load(Path.Combine(dir.Path, "timeline.svg"));
        Assert.Contains("theoretical", svg.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stage_that_throws_fails_the_job_naming_its_stage_and_micro_batch()
    {
        using var dir = new TempDirectory();
        var options = TrainOptionsParser.Parse([
            "--model", "mlp-fails-at-sixth-forward", "--pipeline-stages", "2", "--partition", "3,3", "--micro-batches", "4",
            "--data-parallel", "1", "--steps", "3", "--batch-size", "16", "--step-timeout", "5", "--out", dir.Path, "--no-eval"], TestJobs.Catalog, ConfigurationSources.None);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var outcome = await TrainCommand.RunAsync(TestJobs.Catalog, options, TextWriter.Null, interactive: false);

        Assert.False(outcome.Succeeded);
        // The 6th forward of the last stage is micro-batch 1 of step 1.
        Assert.Contains("rank 1", outcome.Error, StringComparison.Ordinal);
        Assert.Contains("stage 1 (rank 1), micro-batch 1: Forward(1) failed", outcome.Error, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
    }
}
