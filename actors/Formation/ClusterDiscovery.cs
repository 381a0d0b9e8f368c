namespace DistGrad.Distributed.Formation;

/// <summary>How a node finds the cluster it joins.</summary>
public enum ClusterDiscovery
{
    /// <summary>Fixed Akka seed-node addresses (--seed-nodes): the first seed must be running.</summary>
    SeedNodes,

    /// <summary>Cluster Bootstrap over a static list of management endpoints (--contact-points): local and bare-metal clusters.</summary>
    Config,

    /// <summary>Cluster Bootstrap over the pods the Kubernetes API lists by label selector in the pod's own namespace.</summary>
    KubernetesApi,
}

/// <summary>The command-line spellings of <see cref="ClusterDiscovery"/>.</summary>
public static class ClusterDiscoveryNames
{
    public const string SeedNodes = "seed-nodes";
    public const string Config = "config";
    public const string KubernetesApi = "kubernetes-api";

    public static IReadOnlyList<string> All { get; } = [SeedNodes, Config, KubernetesApi];

    public static string Name(this ClusterDiscovery discovery) => discovery switch
    {
        ClusterDiscovery.SeedNodes => SeedNodes,
        ClusterDiscovery.Config => Config,
        _ => KubernetesApi,
    };

    public static ClusterDiscovery Parse(string name) => name switch
    {
        SeedNodes => ClusterDiscovery.SeedNodes,
        Config => ClusterDiscovery.Config,
        KubernetesApi => ClusterDiscovery.KubernetesApi,
        _ => throw new ArgumentException($"'{name}' is not a discovery method (methods: {string.Join(", ", All)})"),
    };
}
