using System.Net;
using Akka.Actor;
using Akka.Cluster;
using DistGrad.Distributed.Config;
using DistGrad.Distributed.Placement;
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
    /// Starts a node on <paramref name="hostname"/>:<paramref name="port"/> (0: any free port) that joins
    /// <paramref name="seedNodes"/>, offering <paramref name="slots"/> worker slots on <paramref name="devices"/>
    /// for the jobs in <paramref name="jobs"/> (a coordinator starting a job this node lacks fails at once);
    /// <paramref name="overrides"/> go over the embedded cluster configuration.
    /// </summary>
    public static WorkerNode Start(
        string hostname, int port, IReadOnlyList<string> seedNodes, int slots, string devices, JobCatalog jobs, Akka.Configuration.Config? overrides = null)
    {
        var system = ActorSystem.Create(ClusterConfig.SystemName, Configuration(hostname, port, seedNodes, slots, overrides));
        StartActors(system, hostname, slots, devices, jobs);
        return new WorkerNode(system);
    }

    /// <summary>A worker node's Akka configuration: role <c>worker</c>, its address and seeds, its slot count.</summary>
    public static Akka.Configuration.Config Configuration(string hostname, int port, IReadOnlyList<string> seedNodes, int slots, Akka.Configuration.Config? overrides = null)
    {
        // The slot count travels in the node's roles, where the placement strategy reads it.
        var roles = new[] { SlotAllocationStrategy.SlotsRolePrefix + slots.ToString(global::System.Globalization.CultureInfo.InvariantCulture) };
        return ClusterConfig.For(ClusterConfig.WorkerRole, hostname, port, seedNodes, roles, overrides);
    }

    /// <summary>What a worker node runs on its ActorSystem: the host actor (capacity) and the worker shard region.</summary>
    public static void StartActors(ActorSystem system, string hostname, int slots, string devices, JobCatalog jobs)
    {
        ArgumentNullException.ThrowIfNull(system);
        system.ActorOf(WorkerHostActor.Props(slots, devices), WorkerHostActor.Name);
        WorkerPlacement.StartRegion(system, new DeviceSlots(devices), DataAddress(hostname), jobs);
    }

    /// <summary>Joins the cluster whose seed is <paramref name="seed"/> (when no seed nodes were configured).</summary>
    public void Join(Address seed) => Cluster.Get(System).Join(seed);

    /// <summary>Leaves the cluster gracefully and waits until the cluster has removed this node (at most <paramref name="timeout"/>).</summary>
    public async Task LeaveAsync(TimeSpan timeout)
    {
        var cluster = Cluster.Get(System);
        var removed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.RegisterOnMemberRemoved(() => removed.TrySetResult());
        await cluster.LeaveAsync().WaitAsync(timeout).ConfigureAwait(false);
        await Task.WhenAny(removed.Task, Task.Delay(timeout)).ConfigureAwait(false);
    }

    /// <summary>Leaves the cluster gracefully (other nodes see it leave, not fail) and stops the system.</summary>
    public async ValueTask DisposeAsync()
    {
        await CoordinatedShutdown.Get(System).Run(CoordinatedShutdown.ClusterLeavingReason.Instance).ConfigureAwait(false);
        await System.WhenTerminated.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
    }

    /// <summary>The address the data plane listens on: the node's cluster hostname, resolved.</summary>
    public static IPAddress DataAddress(string hostname)
    {
        if (IPAddress.TryParse(hostname, out var address))
        {
            return address;
        }

        var addresses = Dns.GetHostAddresses(hostname);
        return addresses.FirstOrDefault(a => a.AddressFamily == global::System.Net.Sockets.AddressFamily.InterNetwork)
            ?? addresses.FirstOrDefault()
            ?? throw new ArgumentException($"the hostname '{hostname}' does not resolve to an address");
    }
}
