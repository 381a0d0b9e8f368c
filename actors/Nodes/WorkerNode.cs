using Akka.Actor;
using Akka.Cluster;
using DistGrad.Distributed.Config;
using DistGrad.Distributed.Formation;
using DistGrad.Distributed.Placement;
using DistGrad.Distributed.Security;
using DistGrad.Distributed.Workers;

namespace DistGrad.Distributed.Nodes;

/// <summary>
/// A worker node: an ActorSystem with role <c>worker</c> that joins the cluster, answers capacity queries
/// (<see cref="WorkerHostActor"/>, one worker slot per device) and runs the worker shard region where
/// Cluster Sharding places worker entities. The node-host process runs one; the coordinator's embedded
/// cluster runs several in its own process.
/// </summary>
public sealed class WorkerNode : IAsyncDisposable
{
    private WorkerNode(ActorSystem system) => System = system;

    public ActorSystem System { get; }

    /// <summary>This node's cluster address (with the port it bound).</summary>
    public Address Address => Cluster.Get(System).SelfAddress;

    /// <summary>
    /// Starts a node placed as <paramref name="network"/> says, offering <paramref name="slots"/> worker slots on
    /// <paramref name="devices"/> for the jobs in <paramref name="jobs"/> (a coordinator starting a job this node lacks
    /// fails at once); <paramref name="overrides"/> go over the embedded cluster configuration. With <paramref name="tls"/>
    /// the node speaks mutual TLS on Akka.Remote and its workers' data plane.
    /// </summary>
    public static WorkerNode Start(NodeNetwork network, int slots, string devices, JobCatalog jobs, Akka.Configuration.Config? overrides = null, NodeCertificates? tls = null)
    {
        var system = NodeSystem.Create(Configuration(network, slots, overrides, secure: tls != null), tls);
        StartActors(system, DataPlaneAddress.Of(network), slots, devices, jobs);
        return new WorkerNode(system);
    }

    /// <summary>A worker node's Akka configuration: role <c>worker</c>, its addresses and discovery, its slot count.</summary>
    public static Akka.Configuration.Config Configuration(NodeNetwork network, int slots, Akka.Configuration.Config? overrides = null, bool secure = false)
    {
        // The slot count travels in the node's roles, where the placement strategy reads it.
        var roles = new[] { SlotAllocationStrategy.SlotsRolePrefix + slots.ToString(global::System.Globalization.CultureInfo.InvariantCulture) };
        return ClusterConfig.For(ClusterConfig.WorkerRole, network, roles, overrides, secure);
    }

    /// <summary>What a worker node runs on its ActorSystem: the host actor (capacity) and the worker shard region.</summary>
    public static void StartActors(ActorSystem system, DataPlaneAddress dataPlane, int slots, string devices, JobCatalog jobs)
    {
        ArgumentNullException.ThrowIfNull(system);
        system.ActorOf(WorkerHostActor.Props(slots, devices), WorkerHostActor.Name);
        NodeReadiness.Get(system).Require("/user/" + WorkerHostActor.Name, "the worker host actor");
        WorkerPlacement.StartRegion(system, new DeviceSlots(devices), dataPlane, jobs);
    }

    /// <summary>Joins the cluster whose seed is <paramref name="seed"/> (when no seed nodes were configured).</summary>
    public void Join(Address seed) => Cluster.Get(System).Join(seed);

    /// <summary>
    /// Leaves the cluster gracefully and waits until the cluster has removed this node, at most <paramref name="timeout"/>:
    /// a cluster that cannot converge (a lost member not yet downed) lets no one leave, and then the node is stopped
    /// anyway by <see cref="DisposeAsync"/>.
    /// </summary>
    public async Task LeaveAsync(TimeSpan timeout)
    {
        var cluster = Cluster.Get(System);
        var removed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.RegisterOnMemberRemoved(() => removed.TrySetResult());
        var left = cluster.LeaveAsync();
        await Task.WhenAny(Task.WhenAll(left, removed.Task), Task.Delay(timeout)).ConfigureAwait(false);
    }

    /// <summary>Leaves the cluster gracefully (other nodes see it leave, not fail) and stops the system.</summary>
    public async ValueTask DisposeAsync()
    {
        await CoordinatedShutdown.Get(System).Run(CoordinatedShutdown.ClusterLeavingReason.Instance).ConfigureAwait(false);
        await System.WhenTerminated.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
    }
}
