using DistGrad.Coordinator.Coordination;
using DistGrad.Coordinator.Running;

namespace DistGrad.Actors.Tests.Cluster;

/// <summary>Stops the last worker node's ActorSystem once the job has finished <c>afterStep</c> steps.</summary>
internal sealed class NodeKiller(int afterStep) : IClusterWatcher
{
    private LocalCluster? _cluster;

    public void Attach(LocalCluster cluster) => _cluster = cluster;

    public void OnPhase(string phase)
    {
    }

    public void OnStart(int totalSteps)
    {
    }

    public void OnStep(StepRecord record)
    {
        if (record.Step == afterStep && _cluster != null)
        {
            _ = _cluster.Nodes[^1].System.Terminate();
        }
    }
}
