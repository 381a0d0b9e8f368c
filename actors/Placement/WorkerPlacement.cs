using System.Net;
using Akka.Actor;
using Akka.Cluster.Sharding;
using DistGrad.Distributed.Workers;

namespace DistGrad.Distributed.Placement;

/// <summary>
/// Worker placement through Akka.Cluster.Sharding: every node runs the "distgrad-worker" shard region
/// (the coordinator's with no slots, so the shard coordinator lives on the oldest node — normally the
/// coordinator's — and survives the loss of worker nodes). A coordinator sends <c>StartWorker</c> to its
/// local region, and sharding starts the entity on a node with a free slot.
/// </summary>
public static class WorkerPlacement
{
    public const string TypeName = "distgrad-worker";

    /// <summary>
    /// Starts this node's region; <paramref name="devices"/> are its worker slots (none on a coordinator's node)
    /// and <paramref name="jobs"/> the jobs its workers can run.
    /// </summary>
    public static IActorRef StartRegion(ActorSystem system, DeviceSlots devices, DataPlaneAddress dataAddress, JobCatalog jobs) =>
        ClusterSharding.Get(system).Start(
            TypeName,
            _ => WorkerEntity.Props(devices, dataAddress, jobs),
            ClusterShardingSettings.Create(system),
            new WorkerMessageExtractor(),
            new SlotAllocationStrategy(system),
            PoisonPill.Instance);

    /// <summary>This node's region (started by <see cref="StartRegion"/>).</summary>
    public static IActorRef Region(ActorSystem system) => ClusterSharding.Get(system).ShardRegion(TypeName);
}
