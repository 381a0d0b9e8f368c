using DistGrad.Distributed.Coordination;

namespace DistGrad.Distributed.Running;

/// <summary>Follows a job together with its embedded cluster: fault-injection tests and tools that act on nodes mid-run.</summary>
public interface IClusterWatcher : IJobObserver
{
    void Attach(LocalCluster cluster);
}
