using System.Text.Json;
using DistGrad.Distributed.Tests.Training;
using DistGrad.Distributed.Cli;
using DistGrad.Distributed.Running;
using DistGrad.Serialization;

namespace DistGrad.Distributed.Tests.Cluster;

/// <summary>
/// The whole stack in one process: a coordinator node and worker nodes, each its own ActorSystem on
/// loopback TCP, workers exchanging gradients on the TCP data plane.
/// </summary>
[Collection(ClusterCollection.Name)]
public class EmbeddedClusterTests
{
    [Theory]
    [InlineData(2, 2)]
    [InlineData(3, 2)]
    public async Task Train_on_the_embedded_cluster_matches_single_process_training_and_writes_the_run_directory(int dataParallel, int nodes)
    {
        using var dir = new TempDirectory();
        var options = TrainOptionsParser.Parse([
            "--steps", "6", "--batch-size", "48", "--data-parallel", $"{dataParallel}", "--local-nodes", $"{nodes}",
            "--accumulation-steps", "2", "--clip-grad-norm", "1.0", "--seed", "11", "--step-timeout", "30", "--out", dir.Path]);
        var output = new StringWriter();

        var outcome = await TrainCommand.RunAsync(TestJobs.Catalog, options, output, interactive: false);

        Assert.True(outcome.Succeeded, outcome.Error);
        var norms = new List<double>();
        var reference = SingleProcessReference.Train(options.Spec, LocalReplicas.Train, 6, norms);
        var final = SafeTensors.Load(Path.Combine(dir.Path, "final.safetensors"));
        Assert.Equal(["0.bias", "0.weight", "2.bias", "2.weight", "4.bias", "4.weight"], final.Keys.Order());
        Assert.True(SingleProcessReference.MaxAbsDifference(reference, final) <= 1e-5f);

        var lines = File.ReadAllLines(Path.Combine(dir.Path, "metrics.jsonl"));
        Assert.Equal(6, lines.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            using var step = JsonDocument.Parse(lines[i]);
            var root = step.RootElement;
            Assert.Equal(i + 1, root.GetProperty("step").GetInt32());
            Assert.Equal(48, root.GetProperty("samples").GetInt32());
            Assert.Equal(0.1, root.GetProperty("lr").GetDouble());
            Assert.Equal(norms[i], root.GetProperty("grad_norm").GetDouble(), 1e-4 * norms[i]);
            Assert.True(root.GetProperty("loss").GetDouble() > 0);
            Assert.True(root.GetProperty("duration_ms").GetDouble() > 0);
        }

        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "summary.json")));
        var s = summary.RootElement;
        Assert.Equal("succeeded", s.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, s.GetProperty("error").ValueKind);
        Assert.Equal(6, s.GetProperty("steps").GetInt32());
        Assert.InRange(s.GetProperty("test_accuracy").GetDouble(), 0.3, 1.0);
        Assert.Equal(dataParallel, s.GetProperty("layout").GetProperty("data_parallel").GetInt32());
        Assert.Equal(nodes, s.GetProperty("nodes").GetInt32());
        Assert.True(s.GetProperty("samples_per_second").GetDouble() > 0);
        Assert.Contains("done: 6 steps", output.ToString());
    }

    [Fact]
    public async Task Workers_on_an_ilgpu_device_train_to_the_cpu_result()
    {
        // The ILGPU emulator stands in for CUDA here: the same kernels, placement and host crossings of the gradients.
        using var dir = new TempDirectory();
        var options = TrainOptionsParser.Parse(["--devices", "ilgpu-cpu", "--steps", "2", "--batch-size", "8", "--seed", "2", "--out", dir.Path, "--no-eval", "--step-timeout", "120"]);

        var outcome = await TrainCommand.RunAsync(TestJobs.Catalog, options, TextWriter.Null, interactive: false);

        Assert.True(outcome.Succeeded, outcome.Error);
        var reference = SingleProcessReference.Train(options.Spec, LocalReplicas.Train, 2);
        var final = SafeTensors.Load(Path.Combine(dir.Path, "final.safetensors"));
        Assert.True(SingleProcessReference.MaxAbsDifference(reference, final) <= 1e-5f);
    }

    [Fact]
    public async Task A_worker_node_that_goes_away_mid_run_fails_the_job_in_time_naming_the_worker()
    {
        using var dir = new TempDirectory();
        var options = TrainOptionsParser.Parse(["--steps", "100000", "--batch-size", "32", "--step-timeout", "4", "--out", dir.Path, "--no-eval"]);
        var killer = new NodeKiller(afterStep: 3);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var outcome = await TrainCommand.RunAsync(TestJobs.Catalog, options, TextWriter.Null, interactive: false, killer);

        Assert.False(outcome.Succeeded);
        Assert.Matches("worker rank [01]", outcome.Error);
        Assert.Matches("StepDone for step|RunStep|unreachable|left the cluster|stopped", outcome.Error);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");

        // The run directory says how the job ended, not only the exit code.
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "summary.json")));
        var s = summary.RootElement;
        Assert.Equal("failed", s.GetProperty("status").GetString());
        Assert.Equal(outcome.Error, s.GetProperty("error").GetString());
        Assert.InRange(s.GetProperty("steps").GetInt32(), 3, 100000);
        Assert.Equal(JsonValueKind.Null, s.GetProperty("test_accuracy").ValueKind);
    }
}
