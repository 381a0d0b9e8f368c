using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DistGrad.Distributed.Cli;
using DistGrad.Distributed.Running;
using DistGrad.Distributed.Tests.Cluster;
using DistGrad.Distributed.Tests.Processes;
using DistGrad.Distributed.Tests.Training;
using Xunit.Abstractions;

namespace DistGrad.Distributed.Tests.Formation;

/// <summary>
/// Network partitions, not crashes: a busy worker's host, or the coordinator's, is cut off the network for 30 s mid-run
/// (its packets are lost, nothing is refused). The majority goes on without it from the last checkpoint (on the spare
/// worker, or under the standby coordinator), the cut-off node downs itself (the split-brain resolver's minority)
/// instead of forming a cluster of its own, and the job ends byte-equal to a run that was never interrupted.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "MultiHost")]
public class PartitionTests(ITestOutputHelper log)
{
    private const int AkkaPort = 4053;
    private const int Steps = 800;
    private static readonly TimeSpan Cut = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);

    private static readonly string[] Job =
    [
        "--data-parallel", "2", "--steps", $"{Steps}", "--batch-size", "32", "--seed", "17", "--clip-grad-norm", "1.0",
        "--step-timeout", "10", "--no-eval", "--checkpoint-every", "10", "--checkpoint-keep", "2",
    ];

    [MultiHostFact]
    public async Task A_worker_cut_off_for_30_s_is_downed_by_the_majority_and_the_job_ends_as_if_unbroken()
    {
        using var hosts = new NetworkHosts(4);
        using var dir = new TempDirectory();
        using var cluster = StartCluster(hosts, dir.Path);
        hosts.Cut(1);
        var clock = Stopwatch.StartNew();
        try
        {
            // The cut-off node sees the three others unreachable: as the minority it downs itself and stops.
            Assert.True(cluster.Workers[0].WaitForExit(Cut), $"the cut-off node still ran {Cut.TotalSeconds:0} s into the partition:\n" + cluster.Workers[0].Output);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"the cut-off node stopped itself {clock.Elapsed.TotalSeconds:0.0} s into the partition"));
            var left = Cut - clock.Elapsed;
            if (left > TimeSpan.Zero)
            {
                Thread.Sleep(left);
            }
        }
        finally
        {
            hosts.Heal(1);
        }

        await AssertEndsAsUnbroken(cluster);
    }

    [MultiHostFact]
    public async Task A_coordinator_cut_off_for_30_s_is_replaced_by_its_standby_and_commits_nothing_after_it()
    {
        using var hosts = new NetworkHosts(4);
        using var dir = new TempDirectory();
        using var cluster = StartWithStandby(hosts, dir.Path);
        hosts.Cut(0);
        try
        {
            // The majority (standby and workers) downs the coordinator's node; cut off alone, it downs itself too.
            Assert.True(cluster.Coordinator.WaitForExit(Cut), $"the cut-off coordinator still ran {Cut.TotalSeconds:0} s into the partition:\n" + cluster.Coordinator.Output);
            Assert.True(cluster.Standby.WaitForOutput("resumed from the checkpoint of step", Cut), "the standby did not take over:\n" + cluster.Standby.Output);
        }
        finally
        {
            hosts.Heal(0);
        }

        await AssertTheStandbyEndedTheJob(cluster);
    }

    [MultiHostFact]
    public async Task A_coordinator_frozen_while_its_standby_took_over_is_fenced_when_it_wakes()
    {
        using var hosts = new NetworkHosts(4);
        using var dir = new TempDirectory();
        using var cluster = StartWithStandby(hosts, dir.Path);

        // SIGSTOP: its port still accepts connections (nothing proves it dead), so the split-brain resolver downs it.
        cluster.Coordinator.Signal("STOP");
        try
        {
            Assert.True(cluster.Standby.WaitForOutput("resumed from the checkpoint of step", Cut), "the standby did not take over:\n" + cluster.Standby.Output);
        }
        finally
        {
            cluster.Coordinator.Signal("CONT");
        }

        Assert.True(cluster.Coordinator.WaitForExit(Limit), "the woken coordinator did not stop:\n" + cluster.Coordinator.Output);
        Assert.NotEqual(0, cluster.Coordinator.ExitCode);
        Assert.Contains("newer coordinator (epoch 2)", cluster.Coordinator.Output, StringComparison.Ordinal);
        await AssertTheStandbyEndedTheJob(cluster);
    }

    /// <summary>A coordinator (host 0, the seed), its standby (host 1) and two workers (hosts 2, 3); returns at step 40.</summary>
    private static StandbyNodes StartWithStandby(NetworkHosts hosts, string directory)
    {
        var seed = $"akka.tcp://distgrad@{NetworkHosts.Address(0)}:{AkkaPort}";
        string[] Node(int i) => ["--seed-nodes", seed, "--hostname", NetworkHosts.Address(i), "--port", $"{AkkaPort}", "--join-timeout", "60"];
        var run = Path.Combine(directory, "run");
        var coordinator = ChildProcess.StartThrough(hosts.On(0), "coordinator", null, ["train", "--cluster", .. Node(0), "--worker-wait", "60", "--out", run, .. Job]);
        var standby = ChildProcess.StartThrough(hosts.On(1), "coordinator", null, ["train", "--cluster", "--standby", .. Node(1), "--worker-wait", "60", "--out", run, .. Job]);
        var nodes = new StandbyNodes(new Nodes(coordinator, run), standby);
        try
        {
            Assert.True(coordinator.WaitForOutput("waiting for", Limit), "the coordinator did not start:\n" + coordinator.Output);
            Assert.True(standby.WaitForOutput("standing by", Limit), "the standby did not start:\n" + standby.Output);
            nodes.Cluster.Workers.AddRange(Enumerable.Range(2, 2).Select(i => ChildProcess.StartThrough(hosts.On(i), "node-host", null, [.. Node(i), "--data-port", "7000-7001"])));
            Assert.True(WaitForStep(run, 40, coordinator), "training did not reach step 40:\n" + coordinator.Output);
            return nodes;
        }
        catch
        {
            nodes.Dispose();
            throw;
        }
    }

    /// <summary>The standby finished the job; every checkpoint left is its own (epoch 2); the result is an unbroken run's.</summary>
    private static async Task AssertTheStandbyEndedTheJob(StandbyNodes nodes)
    {
        var standby = nodes.Standby;
        Assert.True(standby.WaitForExit(Limit), "the standby did not finish the job:\n" + standby.Output);
        Assert.True(standby.ExitCode == 0, standby.Output);
        Assert.Contains($"done: {Steps} steps", standby.Output, StringComparison.Ordinal);
        var run = nodes.Cluster.Run;
        var manifests = Directory.GetFiles(Path.Combine(run, "checkpoints"), "checkpoint.json", SearchOption.AllDirectories);
        Assert.NotEmpty(manifests);
        Assert.All(manifests, m =>
        {
            using var manifest = JsonDocument.Parse(File.ReadAllText(m));
            Assert.Equal("2", manifest.RootElement.GetProperty("metadata").GetProperty(DistGrad.Distributed.Checkpoints.CoordinatorEpoch.MetadataKey).GetString());
        });
        using (var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "summary.json"))))
        {
            Assert.Equal("succeeded", summary.RootElement.GetProperty("status").GetString());
        }

        Assert.Equal(await Unbroken(), File.ReadAllBytes(Path.Combine(run, "final.safetensors")));
    }

    /// <summary>A cluster with a standby coordinator, stopped together.</summary>
    private sealed class StandbyNodes(Nodes cluster, ChildProcess standby) : IDisposable
    {
        public Nodes Cluster { get; } = cluster;

        public ChildProcess Coordinator => Cluster.Coordinator;

        public ChildProcess Standby { get; } = standby;

        public void Dispose()
        {
            Standby.Dispose();
            Cluster.Dispose();
        }
    }

    /// <summary>
    /// The coordinator on host 0 (the seed), workers on hosts 1 and 2 (placement orders nodes by address: they take
    /// the ranks), and host 3 joined once they are placed, as the spare a recovery uses; returns at step 40.
    /// </summary>
    private static Nodes StartCluster(NetworkHosts hosts, string directory)
    {
        var seed = $"akka.tcp://distgrad@{NetworkHosts.Address(0)}:{AkkaPort}";
        string[] Node(int i) => ["--seed-nodes", seed, "--hostname", NetworkHosts.Address(i), "--port", $"{AkkaPort}", "--join-timeout", "60"];
        var run = Path.Combine(directory, "run");
        var coordinator = ChildProcess.StartThrough(hosts.On(0), "coordinator", null, ["train", "--cluster", .. Node(0), "--worker-wait", "60", "--out", run, .. Job]);
        var nodes = new Nodes(coordinator, run);
        try
        {
            Assert.True(coordinator.WaitForOutput("waiting for", Limit), "the coordinator did not start:\n" + coordinator.Output);
            nodes.Workers.AddRange(Enumerable.Range(1, 2).Select(i => ChildProcess.StartThrough(hosts.On(i), "node-host", null, [.. Node(i), "--data-port", "7000-7001"])));
            Assert.True(coordinator.WaitForOutput("starting workers", Limit), "the coordinator did not place its workers:\n" + coordinator.Output);
            nodes.Workers.Add(ChildProcess.StartThrough(hosts.On(3), "node-host", null, [.. Node(3), "--data-port", "7000-7001"]));
            Assert.True(nodes.Workers[2].WaitForOutput("joined as", Limit), "the spare did not join:\n" + nodes.Workers[2].Output);
            Assert.True(WaitForStep(run, 40, coordinator), "training did not reach step 40:\n" + coordinator.Output);
            return nodes;
        }
        catch
        {
            nodes.Dispose();
            throw;
        }
    }

    /// <summary>The job recovered once, away from host 1, and ended with the parameters of a run that was never interrupted.</summary>
    private async Task AssertEndsAsUnbroken(Nodes cluster)
    {
        var coordinator = cluster.Coordinator;
        Assert.True(coordinator.WaitForExit(Limit), "the job did not finish:\n" + coordinator.Output);
        Assert.True(coordinator.ExitCode == 0, coordinator.Output + "\n--- host 1\n" + cluster.Workers[0].Output);
        Assert.Contains($"done: {Steps} steps", coordinator.Output, StringComparison.Ordinal);
        Assert.Contains($"on akka.ssl.tcp://distgrad@{NetworkHosts.Address(1)}:{AkkaPort} became unreachable", coordinator.Output, StringComparison.Ordinal);
        log.WriteLine(string.Join('\n', coordinator.Output.Split('\n').Where(l => l.StartsWith("[distgrad] recover", StringComparison.Ordinal))));

        using (var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(cluster.Run, "summary.json"))))
        {
            Assert.Equal("succeeded", summary.RootElement.GetProperty("status").GetString());
            Assert.Equal(1, summary.RootElement.GetProperty("recoveries").GetInt32());
        }

        // One line per step although the steps after the checkpoint ran twice, and nothing from the cut-off side.
        var steps = File.ReadAllLines(Path.Combine(cluster.Run, "metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("step").GetInt32());
        Assert.Equal(Enumerable.Range(1, Steps), steps);
        Assert.Equal(await Unbroken(), File.ReadAllBytes(Path.Combine(cluster.Run, "final.safetensors")));
    }

    /// <summary>The processes of one test's cluster, stopped together.</summary>
    private sealed class Nodes(ChildProcess coordinator, string run) : IDisposable
    {
        public ChildProcess Coordinator { get; } = coordinator;

        public string Run { get; } = run;

        public List<ChildProcess> Workers { get; } = [];

        public void Dispose()
        {
            Workers.ForEach(w => w.Dispose());
            Coordinator.Dispose();
        }
    }

    /// <summary>The same job on the embedded cluster, never interrupted.</summary>
    private static async Task<byte[]> Unbroken()
    {
        using var dir = new TempDirectory();
        var outcome = await TrainCommand.RunAsync(TestJobs.Catalog, TrainOptionsParser.Parse([.. Job, "--local-nodes", "2", "--out", dir.Path]), TextWriter.Null, interactive: false);
        Assert.True(outcome.Succeeded, outcome.Error);
        return File.ReadAllBytes(Path.Combine(dir.Path, "final.safetensors"));
    }

    /// <summary>Waits until metrics.jsonl holds <paramref name="step"/> steps (false: the coordinator ended or time ran out).</summary>
    private static bool WaitForStep(string runDirectory, int step, ChildProcess coordinator)
    {
        var path = Path.Combine(runDirectory, "metrics.jsonl");
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Limit && !coordinator.HasExited)
        {
            if (File.Exists(path))
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var reader = new StreamReader(stream);
                if (reader.ReadToEnd().Count(c => c == '\n') >= step)
                {
                    return true;
                }
            }

            Thread.Sleep(20);
        }

        return false;
    }
}
