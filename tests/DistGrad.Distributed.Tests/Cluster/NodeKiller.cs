using DistGrad.Distributed.Nodes;
using Akka.Actor;
using DistGrad.Distributed.Coordination;
using DistGrad.Distributed.Running;

namespace DistGrad.Distributed.Tests.Cluster;

/// <summary>
/// Stops a worker node (its workers at once, then its ActorSystem) once the job has finished <c>afterStep</c> steps: the last node, or with
/// <c>aWorkerNode</c> the last one that hosts a worker of the job (with spare nodes the last may host none).
/// </summary>
internal sealed class NodeKiller(int afterStep, bool aWorkerNode = false) : IClusterWatcher
{
    /// <summary>Where Cluster Sharding runs the worker actors: region / shard / entity / worker.</summary>
    private const string WorkersPath = "/system/sharding/" + Placement.WorkerPlacement.TypeName + "/*/*/worker";

    private LocalCluster? _cluster;
    private bool _done;

    public void Attach(LocalCluster cluster) => _cluster = cluster;

    /// <summary>When the node was stopped.</summary>
    public DateTime? KilledAt { get; private set; }

    public void OnPhase(string phase)
    {
    }

    public void OnStart(int totalSteps, int stepsPerEpoch)
    {
    }

    public void OnStep(StepRecord record)
    {
        if (record.Step == afterStep && _cluster != null && !_done)
        {
            _done = true;
            var node = aWorkerNode ? _cluster.Nodes.Last(HostsAWorker) : _cluster.Nodes[^1];
            KilledAt = DateTime.UtcNow;
            // Terminating the system leaves the cluster first, which takes longer than a short job: the node's
            // workers are stopped at once, as a crash would, and then the node goes.
            node.System.ActorSelection(WorkersPath).Tell(PoisonPill.Instance);
            _ = node.System.Terminate();
        }
    }

    private static bool HostsAWorker(Nodes.WorkerNode node)
    {
        try
        {
            var identity = node.System.ActorSelection(WorkersPath).Ask<ActorIdentity>(new Identify(null), TimeSpan.FromSeconds(1)).GetAwaiter().GetResult();
            return identity.Subject != null;
        }
        catch (Akka.Actor.AskTimeoutException)
        {
            // A wildcard selection that matches nothing does not answer.
            return false;
        }
    }
}
