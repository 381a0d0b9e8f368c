namespace DistGrad.Distributed.Tests.Cluster;

/// <summary>Cluster tests run one at a time: each starts several nodes and they share the 2 cores.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection
{
    public const string Name = "cluster";
}
