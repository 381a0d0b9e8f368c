using Akka.Actor;
using DistGrad.Distributed.Messages;

namespace DistGrad.Distributed.Workers;

/// <summary>
/// The actor every worker node runs at <c>/user/workers</c>: tells coordinators how many worker slots
/// (devices) the node has. Answering also proves the node is alive, which a coordinator relies on when it
/// recovers a job (a node that died unnoticed cannot answer). Workers themselves are placed by Cluster
/// Sharding (actors/Placement).
/// </summary>
public sealed class WorkerHostActor : ReceiveActor
{
    /// <summary>The host's actor name; coordinators address <c>/user/workers</c> on each worker node.</summary>
    public const string Name = "workers";

    public WorkerHostActor(int slots, string devices) =>
        Receive<QueryCapacity>(q => Sender.Tell(new HostCapacity(q.JobId, slots, devices)));

    public static Props Props(int slots, string devices) => Akka.Actor.Props.Create(() => new WorkerHostActor(slots, devices));
}
