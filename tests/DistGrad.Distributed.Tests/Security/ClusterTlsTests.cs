using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using DistGrad.Distributed.Config;
using DistGrad.Distributed.Formation;
using DistGrad.Distributed.Security;
using ClusterCollection = DistGrad.Distributed.Tests.Cluster.ClusterCollection;

namespace DistGrad.Distributed.Tests.Security;

/// <summary>Akka.Remote over mutual TLS: the cluster's nodes join, a node with another CA's certificate or none never does.</summary>
[Trait("Category", "Security")]
[Collection(ClusterCollection.Name)]
public class ClusterTlsTests
{
    private static readonly TimeSpan JoinTime = TimeSpan.FromSeconds(20);

    // How long a stranger keeps trying: several of Akka's join retries and TLS handshakes.
    private static readonly TimeSpan Refused = TimeSpan.FromSeconds(8);

    [Fact]
    public async Task Nodes_of_the_clusters_CA_join_over_TLS_and_a_stranger_is_refused_and_logged()
    {
        using var seed = Node(TestCertificates.ClusterNode());
        var warnings = Warnings(seed);
        var cluster = Akka.Cluster.Cluster.Get(seed);
        cluster.Join(cluster.SelfAddress);
        Assert.Equal(NodeTls.Protocol, cluster.SelfAddress.Protocol);

        using var member = Node(TestCertificates.ClusterNode());
        Akka.Cluster.Cluster.Get(member).Join(cluster.SelfAddress);
        await WaitFor(() => cluster.State.Members.Count(m => m.Status == MemberStatus.Up) == 2, JoinTime, "the second node of the cluster's CA to be Up");

        using var stranger = Node(TestCertificates.StrangerNode());
        Akka.Cluster.Cluster.Get(stranger).Join(cluster.SelfAddress);
        await Task.Delay(Refused);
        Assert.Equal(2, cluster.State.Members.Count);
        Assert.DoesNotContain(cluster.State.Members, m => m.Address.Equals(Akka.Cluster.Cluster.Get(stranger).SelfAddress));
        Assert.Contains(warnings, w => w.Contains("TLS", StringComparison.Ordinal) && w.Contains("127.0.0.1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_node_without_TLS_cannot_join_a_TLS_cluster()
    {
        using var seed = Node(TestCertificates.ClusterNode());
        var cluster = Akka.Cluster.Cluster.Get(seed);
        cluster.Join(cluster.SelfAddress);
        await WaitFor(() => cluster.State.Members.Count(m => m.Status == MemberStatus.Up) == 1, JoinTime, "the seed to be Up");

        using var plain = Node(null);
        var address = new Address("akka.tcp", ClusterConfig.SystemName, cluster.SelfAddress.Host, cluster.SelfAddress.Port);
        Akka.Cluster.Cluster.Get(plain).Join(address);
        await Task.Delay(Refused);
        Assert.Single(cluster.State.Members);
        Assert.NotEqual(MemberStatus.Up, Akka.Cluster.Cluster.Get(plain).SelfMember.Status);
    }

    private static ActorSystem Node(NodeCertificates? tls) =>
        NodeSystem.Create(ClusterConfig.For(ClusterConfig.WorkerRole, new NodeNetwork(), secure: tls != null), tls);

    private static ConcurrentQueue<string> Warnings(ActorSystem system)
    {
        var lines = new ConcurrentQueue<string>();
        var listener = system.ActorOf(Props.Create(() => new LogListener(lines)));
        system.EventStream.Subscribe(listener, typeof(Warning));
        system.EventStream.Subscribe(listener, typeof(Error));
        return lines;
    }

    private static async Task WaitFor(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(50);
        }
    }

    private sealed class LogListener : ReceiveActor
    {
        public LogListener(ConcurrentQueue<string> lines) => Receive<LogEvent>(e => lines.Enqueue(e.Message?.ToString() ?? string.Empty));
    }
}
