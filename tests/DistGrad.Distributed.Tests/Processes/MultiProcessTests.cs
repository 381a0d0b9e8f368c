using DistGrad.Distributed.Tests.Cluster;
using DistGrad.Distributed.Tests.Training;
using DistGrad.Distributed.Cli;
using DistGrad.Serialization;

namespace DistGrad.Distributed.Tests.Processes;

/// <summary>The deployment shape: a coordinator process and node-host processes on loopback ports.</summary>
[Collection(ClusterCollection.Name)]
public class MultiProcessTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);

    [Fact]
    public void A_coordinator_and_two_node_hosts_train_to_the_single_process_result()
    {
        using var dir = new TempDirectory();
        var port = ChildProcess.FreePort();
        var seed = $"akka.tcp://distgrad@127.0.0.1:{port}";
        string[] job = ["--steps", "5", "--batch-size", "32", "--accumulation-steps", "2", "--clip-grad-norm", "1.0", "--seed", "4", "--step-timeout", "30"];
        using var coordinator = new ChildProcess("coordinator", ["train", "--cluster", "--port", $"{port}", "--seed-nodes", seed, "--out", dir.Path, "--worker-wait", "60", .. job]);
        using var a = new ChildProcess("node-host", "--seed-nodes", seed);
        using var b = new ChildProcess("node-host", "--seed-nodes", seed);

        Assert.True(coordinator.WaitForExit(Limit), "the coordinator did not finish:\n" + coordinator.Output);
        Assert.True(coordinator.ExitCode == 0, coordinator.Output);
        Assert.Contains("done: 5 steps", coordinator.Output);

        var reference = SingleProcessReference.Train(TrainOptionsParser.Parse(job).Spec, LocalReplicas.Train, 5);
        var final = SafeTensors.Load(Path.Combine(dir.Path, "final.safetensors"));
        Assert.True(SingleProcessReference.MaxAbsDifference(reference, final) <= 1e-5f);
    }

    [Fact]
    public void Killing_a_node_host_mid_run_fails_the_job_within_the_timeout_naming_the_worker()
    {
        using var dir = new TempDirectory();
        var port = ChildProcess.FreePort();
        var seed = $"akka.tcp://distgrad@127.0.0.1:{port}";
        using var coordinator = new ChildProcess("coordinator", "train", "--cluster", "--port", $"{port}", "--seed-nodes", seed, "--out", dir.Path,
            "--steps", "100000", "--batch-size", "32", "--step-timeout", "5", "--no-eval");
        using var a = new ChildProcess("node-host", "--seed-nodes", seed);
        using var b = new ChildProcess("node-host", "--seed-nodes", seed);

        Assert.True(coordinator.WaitForOutput("step ", Limit), "training did not start:\n" + coordinator.Output);
        b.Kill();
        var clock = System.Diagnostics.Stopwatch.StartNew();

        Assert.True(coordinator.WaitForExit(TimeSpan.FromSeconds(30)), "the coordinator hung after a node died:\n" + coordinator.Output);
        Assert.Equal(1, coordinator.ExitCode);
        Assert.Matches("job failed: .*worker rank [01]", coordinator.Output);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"failing took {clock.Elapsed}");
    }

    [Fact]
    public void On_sigterm_a_node_host_leaves_the_cluster_gracefully_and_the_coordinator_aborts_its_job()
    {
        using var dir = new TempDirectory();
        var port = ChildProcess.FreePort();
        var seed = $"akka.tcp://distgrad@127.0.0.1:{port}";
        // A job that needs more workers than will come keeps the seed node up while the worker joins and leaves.
        using var coordinator = new ChildProcess("coordinator", "train", "--cluster", "--port", $"{port}", "--seed-nodes", seed, "--out", dir.Path,
            "--data-parallel", "4", "--worker-wait", "60");
        using var node = new ChildProcess("node-host", "--seed-nodes", seed);
        Assert.True(node.WaitForOutput("joined as", Limit), "the node did not join:\n" + node.Output);

        node.Terminate();

        Assert.True(node.WaitForExit(TimeSpan.FromSeconds(20)), "the node did not stop on SIGTERM:\n" + node.Output);
        Assert.True(node.ExitCode == 0, node.Output + "\ncoordinator:\n" + coordinator.Output);
        Assert.True(node.Output.Contains("left the cluster", StringComparison.Ordinal), node.Output + "\ncoordinator:\n" + coordinator.Output);

        // The coordinator aborts its job on SIGTERM: one line naming the signal, exit 1.
        coordinator.Terminate();
        Assert.True(coordinator.WaitForExit(TimeSpan.FromSeconds(20)), "the coordinator did not stop on SIGTERM:\n" + coordinator.Output);
        Assert.Equal(1, coordinator.ExitCode);
        Assert.Contains("job failed: stopped by SIGTERM while the coordinator awaited worker slots", coordinator.Output);
    }

    [Fact]
    public void Telemetry_console_exports_the_step_spans_and_the_training_metrics()
    {
        using var dir = new TempDirectory();
        using var coordinator = new ChildProcess("coordinator", "train", "--steps", "2", "--batch-size", "32", "--no-eval", "--out", dir.Path, "--telemetry", "console");
        Assert.True(coordinator.WaitForExit(Limit), coordinator.Output);
        Assert.True(coordinator.ExitCode == 0, coordinator.Output);
        foreach (var expected in new[] { "DistGrad.Worker", "DistGrad.Coordinator", "gradients AllReduce(data-parallel)", "allreduce", "backward", "distgrad.step.duration", "distgrad.allreduce.bytes", "distgrad.grad.norm" })
        {
            Assert.True(coordinator.Output.Contains(expected, StringComparison.Ordinal), $"'{expected}' is missing from the exported telemetry:\n{coordinator.Output}");
        }
    }

    [Theory]
    [InlineData("coordinator", "Unrecognized command or argument '--bogus'", "train", "--bogus")]
    [InlineData("coordinator", "--job 'resnet' is not a job of this program (jobs: mlp, cnn, mlp-wide)", "train", "--job", "resnet")]
    [InlineData("coordinator", "--job-assembly '/nonexistent/Jobs.dll' does not exist", "train", "--job-assembly", "/nonexistent/Jobs.dll")]
    [InlineData("node-host", "--job 'resnet' is not a job of this program (jobs: mlp, cnn, mlp-wide)", "--seed-nodes", "akka.tcp://distgrad@127.0.0.1:1", "--job", "resnet")]
    [InlineData("coordinator", "--pipeline-stages 9 is more than the 5 cuttable children of model 'mlp'", "train", "--pipeline-stages", "9")]
    [InlineData("node-host", "worker needs --seed-nodes akka.tcp://distgrad@HOST:PORT")]
    [InlineData("node-host", "--telemetry must be one of none, console, otlp, got 'jaeger'", "--seed-nodes", "akka.tcp://distgrad@127.0.0.1:1", "--telemetry", "jaeger")]
    [InlineData("node-host", "'gpu7' is not available", "--seed-nodes", "akka.tcp://distgrad@127.0.0.1:1", "--devices", "gpu7")]
    public void Bad_input_exits_non_zero_with_one_line_on_stderr(string program, string expected, params string[] args)
    {
        using var process = new ChildProcess(program, args);
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.Equal(2, process.ExitCode);
        Assert.Contains(expected, process.Output);
        Assert.Single(process.Output.Trim().Split('\n'));
    }

    [Fact]
    public void An_unknown_job_lists_the_jobs_of_the_job_assembly_too()
    {
        using var process = new ChildProcess("coordinator", "train", "--job-assembly", ChildProcess.BuiltProgram("ResidualSpirals"), "--job", "resnet");
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.Equal(2, process.ExitCode);
        Assert.Contains("--job 'resnet' is not a job of this program (jobs: mlp, cnn, mlp-wide, residual-spirals)", process.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Node_hosts_run_a_job_loaded_from_a_user_assembly()
    {
        using var dir = new TempDirectory();
        var port = ChildProcess.FreePort();
        var seed = $"akka.tcp://distgrad@127.0.0.1:{port}";
        var assembly = ChildProcess.BuiltProgram("ResidualSpirals");
        using var coordinator = new ChildProcess("coordinator", "train", "--cluster", "--port", $"{port}", "--seed-nodes", seed, "--out", dir.Path,
            "--job-assembly", assembly, "--job", "residual-spirals", "--steps", "5", "--worker-wait", "60");
        using var a = new ChildProcess("node-host", "--seed-nodes", seed, "--job-assembly", assembly, "--job", "residual-spirals");
        using var b = new ChildProcess("node-host", "--seed-nodes", seed, "--job-assembly", assembly, "--job", "residual-spirals");

        Assert.True(coordinator.WaitForExit(Limit), "the coordinator did not finish:\n" + coordinator.Output);
        Assert.True(coordinator.ExitCode == 0, coordinator.Output + "\nnode:\n" + a.Output);
        Assert.Contains("done: 5 steps", coordinator.Output, StringComparison.Ordinal);
        Assert.Contains("for job(s) residual-spirals", a.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_node_without_the_job_fails_the_job_at_once_naming_the_node_and_its_jobs()
    {
        using var dir = new TempDirectory();
        var port = ChildProcess.FreePort();
        var seed = $"akka.tcp://distgrad@127.0.0.1:{port}";
        using var coordinator = new ChildProcess("coordinator", "train", "--cluster", "--port", $"{port}", "--seed-nodes", seed, "--out", dir.Path,
            "--job-assembly", ChildProcess.BuiltProgram("ResidualSpirals"), "--job", "residual-spirals", "--data-parallel", "1", "--steps", "5", "--worker-wait", "60");
        using var node = new ChildProcess("node-host", "--seed-nodes", seed);

        Assert.True(coordinator.WaitForExit(Limit), "the coordinator hung:\n" + coordinator.Output);
        Assert.Equal(1, coordinator.ExitCode);
        Assert.Contains("cannot run the job: this node has no job named 'residual-spirals' (it has: mlp, cnn, mlp-wide)", coordinator.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Unreachable_seed_nodes_fail_with_one_line_after_the_wait()
    {
        using var dir = new TempDirectory();
        var port = ChildProcess.FreePort();
        using var coordinator = new ChildProcess("coordinator", "train", "--cluster", "--seed-nodes", $"akka.tcp://distgrad@127.0.0.1:{port}",
            "--join-timeout", "3", "--out", dir.Path);
        Assert.True(coordinator.WaitForExit(TimeSpan.FromSeconds(30)), coordinator.Output);
        Assert.Equal(1, coordinator.ExitCode);
        Assert.Contains($"could not join the cluster through the seed nodes akka.tcp://distgrad@127.0.0.1:{port} within 3 s", coordinator.Output);
    }
}
