using DistGrad.Distributed.Formation;
using DistGrad.Distributed.Nodes;
using DistGrad.Distributed.Security;
using Akka.Actor;
using DistGrad.Distributed.Workers;

namespace DistGrad.Distributed.Running;

/// <summary>
/// The embedded cluster of the default <c>train</c>: worker nodes, each its own ActorSystem on loopback
/// TCP in this process, joined to the coordinator's node. They talk over real sockets (Akka.Remote and
/// the TCP data plane), exactly as separate node-host processes would.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private readonly List<WorkerNode> _nodes = [];

    /// <summary>
    /// Starts <paramref name="nodes"/> worker nodes with <paramref name="slotsPerNode"/> slots each, joining
    /// <paramref name="seed"/>; slot j of node i gets device (i + nodes·j) mod |devices|, so devices spread over nodes.
    /// With <paramref name="tls"/> (the coordinator's node's certificates) every node speaks mutual TLS, as a real cluster does.
    /// </summary>
    public static LocalCluster Start(
        int nodes, int slotsPerNode, Address seed, IReadOnlyList<Device> devices, JobCatalog jobs, Akka.Configuration.Config? overrides = null, NodeCertificates? tls = null)
    {
        var cluster = new LocalCluster();
        for (var i = 0; i < nodes; i++)
        {
            var own = Enumerable.Range(0, slotsPerNode).Select(j => devices[(i + (nodes * j)) % devices.Count]);
            var node = WorkerNode.Start(new NodeNetwork(), slotsPerNode, string.Join(",", own), jobs, overrides, tls);
            node.Join(seed);
            cluster._nodes.Add(node);
        }

        return cluster;
    }

    public IReadOnlyList<WorkerNode> Nodes => _nodes;

    /// <summary>Every node leaves the cluster gracefully, so nobody takes the end of the job for a failure.</summary>
    public Task LeaveAsync() => Task.WhenAll(_nodes.Select(n => n.LeaveAsync(TimeSpan.FromSeconds(10))));

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_nodes.Select(n => n.System.Terminate())).ConfigureAwait(false);
    }
}
