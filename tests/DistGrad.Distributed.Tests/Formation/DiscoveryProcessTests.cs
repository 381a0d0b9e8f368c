using DistGrad.Distributed.Cli;
using DistGrad.Distributed.Tests.Cluster;
using DistGrad.Distributed.Tests.Processes;
using DistGrad.Distributed.Tests.Training;
using DistGrad.Serialization;
using k8s.Models;

namespace DistGrad.Distributed.Tests.Formation;

/// <summary>
/// Clusters that form through Cluster Bootstrap with no seed nodes: over the pods a (fake) Kubernetes API lists,
/// and over a static list of contact points. One coordinator and two node-host processes on loopback.
/// </summary>
[Collection(ClusterCollection.Name)]
public class DiscoveryProcessTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);
    private static readonly string[] Job = ["--steps", "4", "--batch-size", "32", "--seed", "9", "--data-parallel", "2", "--step-timeout", "30"];

    [Fact]
    public async Task Three_processes_bootstrap_from_the_pods_the_Kubernetes_API_lists_and_train_to_the_single_process_result()
    {
        using var dir = new TempDirectory();
        var ports = Enumerable.Range(0, 3).Select(_ => ChildProcess.FreePort()).Distinct().ToArray();
        Assert.Equal(3, ports.Length);
        var labels = new Dictionary<string, string> { ["app.kubernetes.io/part-of"] = "distgrad" };
        var pods = new V1PodList
        {
            Items = [.. ports.Select((port, i) => FakeKubernetesApi.Pod($"distgrad-{i}", "127.0.0.1", port, labels))],
        };
        await using var api = new FakeKubernetesApi(dir.Path, "training", pods);
        // What a pod's service account gives it (namespace file, token) is configuration here.
        var config = Path.Combine(dir.Path, "distgrad.conf");
        File.WriteAllText(config, $$"""
            akka.discovery.kubernetes-api {
              pod-namespace = "training"
              api-token-path = "{{api.TokenPath}}"
            }
            """);
        string[] Bootstrap(int i) => ["--discovery", "kubernetes-api", "--required-contact-points", "3", "--management-port", $"{ports[i]}", "--config", config, "--join-timeout", "60"];

        var run = Path.Combine(dir.Path, "run");
        using var coordinator = ChildProcess.StartThrough([], "coordinator", api.Environment, ["train", "--cluster", .. Bootstrap(0), "--out", run, .. Job]);
        using var a = ChildProcess.StartThrough([], "node-host", api.Environment, Bootstrap(1));
        using var b = ChildProcess.StartThrough([], "node-host", api.Environment, Bootstrap(2));

        Assert.True(coordinator.WaitForExit(Limit), "the coordinator did not finish:\n" + coordinator.Output + a.Output);
        Assert.True(coordinator.ExitCode == 0, coordinator.Output + "\n--- node a\n" + a.Output);
        Assert.Contains("done: 4 steps", coordinator.Output);
        Assert.Contains(api.Requests, r => r.StartsWith("GET /api/v1/namespaces/training/pods?", StringComparison.Ordinal)
            && r.Contains("labelSelector=app.kubernetes.io%2Fpart-of%3Ddistgrad", StringComparison.Ordinal));
        AssertEqualsSingleProcess(run);
    }

    [Fact]
    public void Three_processes_bootstrap_from_config_contact_points_and_serve_health_on_the_management_port()
    {
        using var dir = new TempDirectory();
        var ports = Enumerable.Range(0, 3).Select(_ => ChildProcess.FreePort()).Distinct().ToArray();
        var contactPoints = string.Join(",", ports.Select(p => $"127.0.0.1:{p}"));
        string[] Bootstrap(int i) => ["--discovery", "config", "--contact-points", contactPoints, "--required-contact-points", "3", "--management-port", $"{ports[i]}"];

        var run = Path.Combine(dir.Path, "run");
        using var a = new ChildProcess("node-host", Bootstrap(1));
        using var b = new ChildProcess("node-host", Bootstrap(2));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, Get(http, ports[1], "/ready").Status);
        Assert.Equal(System.Net.HttpStatusCode.OK, Get(http, ports[1], "/alive").Status);

        using var coordinator = new ChildProcess("coordinator", ["train", "--cluster", .. Bootstrap(0), "--out", run, .. Job]);
        Assert.True(a.WaitForOutput("worker: joined as", Limit), a.Output);
        var ready = Get(http, ports[1], "/ready");
        Assert.Equal(System.Net.HttpStatusCode.OK, ready.Status);
        Assert.Contains("is Up and takes workers", ready.Body);

        Assert.True(coordinator.WaitForExit(Limit), "the coordinator did not finish:\n" + coordinator.Output);
        Assert.True(coordinator.ExitCode == 0, coordinator.Output);
        AssertEqualsSingleProcess(run);
    }

    [Fact]
    public void Fewer_contact_points_than_required_fail_within_the_join_timeout_naming_the_method_and_what_answered()
    {
        using var dir = new TempDirectory();
        var ports = Enumerable.Range(0, 3).Select(_ => ChildProcess.FreePort()).Distinct().ToArray();
        var contactPoints = string.Join(",", ports.Select(p => $"127.0.0.1:{p}"));
        using var worker = new ChildProcess("node-host", "--discovery", "config", "--contact-points", contactPoints, "--required-contact-points", "3", "--management-port", $"{ports[1]}", "--join-timeout", "30");
        using var coordinator = new ChildProcess("coordinator", "train", "--cluster", "--discovery", "config", "--contact-points", contactPoints,
            "--required-contact-points", "3", "--management-port", $"{ports[0]}", "--join-timeout", "6", "--out", dir.Path);

        Assert.True(coordinator.WaitForExit(TimeSpan.FromSeconds(40)), coordinator.Output);
        Assert.Equal(1, coordinator.ExitCode);
        var failure = coordinator.Output.Split('\n').Single(l => l.Contains("Cluster Bootstrap", StringComparison.Ordinal));
        Assert.Contains("Cluster Bootstrap (discovery config) found 2 of the 3 required contact points within 6 s", failure);
        Assert.Contains($"127.0.0.1:{ports[2]} did not answer", failure);
        Assert.Contains($"127.0.0.1:{ports[1]}", failure);
        Assert.DoesNotContain("contactPointProbe", coordinator.Output);
    }

    private static (System.Net.HttpStatusCode Status, string Body) Get(HttpClient http, int port, string path)
    {
        // The endpoint starts a moment after the process: ask until it answers.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                using var response = http.GetAsync(new Uri($"http://127.0.0.1:{port}{path}")).GetAwaiter().GetResult();
                return (response.StatusCode, response.Content.ReadAsStringAsync().GetAwaiter().GetResult());
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(200);
            }
        }
    }

    private static void AssertEqualsSingleProcess(string run)
    {
        var reference = SingleProcessReference.Train(TrainOptionsParser.Parse(Job).Spec, LocalReplicas.Train, 4);
        var final = SafeTensors.Load(Path.Combine(run, "final.safetensors"));
        Assert.True(SingleProcessReference.MaxAbsDifference(reference, final) <= 1e-5f);
    }
}
