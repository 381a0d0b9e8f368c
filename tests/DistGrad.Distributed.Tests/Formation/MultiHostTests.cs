using System.Diagnostics;
using DistGrad.Distributed.Cli;
using DistGrad.Distributed.Tests.Cluster;
using DistGrad.Distributed.Tests.Processes;
using DistGrad.Distributed.Tests.Training;
using DistGrad.Serialization;

namespace DistGrad.Distributed.Tests.Formation;

/// <summary>
/// A coordinator and workers on separate network hosts (namespaces, one address each, a bridge between them):
/// the cluster forms through Cluster Bootstrap across hosts, and the mistakes a real deployment makes — an
/// address nobody reaches, a run directory a node does not see — fail with the address or the node named.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "MultiHost")]
public class MultiHostTests
{
    private const int ManagementPort = 8558;
    private const int AkkaPort = 4053;
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);
    private static readonly string[] Job = ["--steps", "4", "--batch-size", "48", "--seed", "5", "--data-parallel", "3", "--step-timeout", "30"];

    [MultiHostFact]
    public void A_coordinator_and_three_workers_on_four_hosts_bootstrap_with_config_discovery_and_train_to_the_single_process_result()
    {
        using var hosts = new NetworkHosts(4);
        using var dir = new TempDirectory();
        var contactPoints = string.Join(",", Enumerable.Range(0, 4).Select(i => $"{NetworkHosts.Address(i)}:{ManagementPort}"));
        // Workers listen on every interface and advertise their host's address, as in a container.
        string[] Node(int i) =>
        [
            "--discovery", "config", "--contact-points", contactPoints, "--required-contact-points", "4",
            "--hostname", NetworkHosts.Address(i), "--port", $"{AkkaPort}", "--bind-hostname", i == 0 ? NetworkHosts.Address(0) : "0.0.0.0",
            "--management-port", $"{ManagementPort}", "--join-timeout", "60",
        ];

        var run = Path.Combine(dir.Path, "run");
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(1, 3).Select(i => ChildProcess.StartThrough(hosts.On(i), "node-host", null, [.. Node(i), "--data-port", "7000-7001"])).ToList();
        using var coordinator = ChildProcess.StartThrough(hosts.On(0), "coordinator", null, ["train", "--cluster", .. Node(0), "--out", run, .. Job]);
        try
        {
            Assert.True(coordinator.WaitForOutput("step 1/4", Limit), coordinator.Output);
            var firstStep = clock.Elapsed;
            Assert.True(coordinator.WaitForExit(Limit), "the coordinator did not finish:\n" + coordinator.Output);
            Assert.True(coordinator.ExitCode == 0, coordinator.Output + "\n--- worker 1\n" + workers[0].Output);
            Assert.Contains("done: 4 steps", coordinator.Output);
            foreach (var (worker, i) in workers.Select((w, i) => (w, i + 1)))
            {
                Assert.Contains($"worker: joined as akka.ssl.tcp://distgrad@{NetworkHosts.Address(i)}:{AkkaPort}", worker.Output);
            }

            var reference = SingleProcessReference.Train(TrainOptionsParser.Parse(Job).Spec, LocalReplicas.Train, 4);
            var final = SafeTensors.Load(Path.Combine(run, "final.safetensors"));
            Assert.True(SingleProcessReference.MaxAbsDifference(reference, final) <= 1e-5f);
            Console.WriteLine($"multi-host: process start to step 1 in {firstStep.TotalSeconds:0.0} s");
        }
        finally
        {
            workers.ForEach(w => w.Dispose());
        }
    }

    [MultiHostFact]
    public void A_worker_that_advertises_an_address_nobody_reaches_fails_naming_that_address()
    {
        using var hosts = new NetworkHosts(3);
        using var dir = new TempDirectory();
        var seed = $"akka.tcp://distgrad@{NetworkHosts.Address(0)}:{AkkaPort}";
        using var coordinator = ChildProcess.StartThrough(hosts.On(0), "coordinator", null,
            ["train", "--cluster", "--seed-nodes", seed, "--hostname", NetworkHosts.Address(0), "--port", $"{AkkaPort}", "--worker-wait", "20", "--out", dir.Path, .. Job, "--data-parallel", "2", "--step-timeout", "8"]);
        using var good = ChildProcess.StartThrough(hosts.On(1), "node-host", null, ["--seed-nodes", seed, "--hostname", NetworkHosts.Address(1), "--port", $"{AkkaPort}"]);
        // Listens on every interface but tells the others an address no host has.
        using var wrong = ChildProcess.StartThrough(hosts.On(2), "node-host", null,
            ["--seed-nodes", seed, "--hostname", NetworkHosts.Nobody, "--bind-hostname", "0.0.0.0", "--port", $"{AkkaPort}", "--join-timeout", "15"]);

        Assert.True(coordinator.WaitForExit(Limit), coordinator.Output);
        Assert.Equal(1, coordinator.ExitCode);
        Assert.DoesNotContain("done:", coordinator.Output);
        // Akka.Remote answers a node over the connection it opened, so whether the wrong node joins depends on who
        // dials first. Either it never joins (and says what it advertises) or its peers cannot reach its data plane
        // (and the job's failure names the address).
        var joinFailure = $"this node advertises akka.ssl.tcp://distgrad@{NetworkHosts.Nobody}:{AkkaPort}";
        var dataPlaneFailure = $"at {NetworkHosts.Nobody}:";
        wrong.WaitForExit(TimeSpan.FromSeconds(30));
        Assert.True(
            wrong.Output.Contains(joinFailure, StringComparison.Ordinal) || coordinator.Output.Contains(dataPlaneFailure, StringComparison.Ordinal),
            "neither the node nor the job named the unreachable address:\n--- coordinator\n" + coordinator.Output + "\n--- node\n" + wrong.Output);
    }

    [MultiHostFact]
    public void A_worker_that_does_not_see_the_run_directory_fails_the_job_before_step_1_naming_its_node()
    {
        using var hosts = new NetworkHosts(3);
        using var dir = new TempDirectory();
        var run = Path.Combine(dir.Path, "run");
        var seed = $"akka.tcp://distgrad@{NetworkHosts.Address(0)}:{AkkaPort}";
        string[] Worker(int i) => ["--seed-nodes", seed, "--hostname", NetworkHosts.Address(i), "--port", $"{AkkaPort}"];
        using var coordinator = ChildProcess.StartThrough(hosts.On(0), "coordinator", null,
            ["train", "--cluster", "--seed-nodes", seed, "--hostname", NetworkHosts.Address(0), "--port", $"{AkkaPort}", "--out", run, .. Job, "--data-parallel", "2"]);
        using var seesIt = ChildProcess.StartThrough(hosts.On(1), "node-host", null, Worker(1));
        // Host 2 mounts other storage where the run directory is (an empty tmpfs in a mount namespace of its own).
        string[] otherStorage = [.. hosts.On(2), "unshare", "--mount", "--propagation", "private", "sh", "-c", "mount -t tmpfs none \"$0\" && exec \"$@\"", dir.Path];
        using var blind = ChildProcess.StartThrough(otherStorage, "node-host", null, Worker(2));

        Assert.True(coordinator.WaitForExit(Limit), coordinator.Output);
        Assert.Equal(1, coordinator.ExitCode);
        var failure = coordinator.Output.Split('\n').First(l => l.Contains("cannot see the coordinator's run directory", StringComparison.Ordinal));
        Assert.Contains($"on akka.ssl.tcp://distgrad@{NetworkHosts.Address(2)}:{AkkaPort} cannot run the job", failure);
        Assert.Contains(run, failure);
        Assert.DoesNotContain("step 1/", coordinator.Output);
    }
}
