namespace DistGrad.Distributed.Formation;

/// <summary>
/// Where a node listens, the address it gives others, and how it finds the cluster. The advertised
/// (<see cref="Hostname"/>, <see cref="Port"/>) and bound (<see cref="BindHostname"/>, <see cref="BindPort"/>)
/// addresses differ behind NAT, in containers and in Kubernetes (bind 0.0.0.0, advertise the pod IP).
/// </summary>
public sealed record NodeNetwork
{
    public ClusterDiscovery Discovery { get; init; } = ClusterDiscovery.SeedNodes;

    /// <summary>akka.tcp://distgrad@HOST:PORT addresses (seed-nodes discovery).</summary>
    public IReadOnlyList<string> SeedNodes { get; init; } = [];

    /// <summary>HOST:PORT of the nodes' management endpoints (config discovery).</summary>
    public IReadOnlyList<string> ContactPoints { get; init; } = [];

    /// <summary>Contact points Cluster Bootstrap must find before the lowest-addressed one forms a new cluster.</summary>
    public int RequiredContactPoints { get; init; } = 2;

    /// <summary>The pods that form the cluster (kubernetes-api discovery).</summary>
    public string PodLabelSelector { get; init; } = "app.kubernetes.io/part-of=distgrad";

    /// <summary>How long a node may take to become a cluster member before it gives up, saying what it found.</summary>
    public TimeSpan JoinTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The address other nodes reach this one at (Akka remoting, the data plane, the management endpoint).</summary>
    public string Hostname { get; init; } = "127.0.0.1";

    /// <summary>The Akka port others reach this one at (0: any free one).</summary>
    public int Port { get; init; }

    /// <summary>The address to listen on (null: <see cref="Hostname"/>); 0.0.0.0 listens on every interface.</summary>
    public string? BindHostname { get; init; }

    /// <summary>The Akka port to listen on (null: <see cref="Port"/>).</summary>
    public int? BindPort { get; init; }

    /// <summary>The ports a worker's data-plane listener may take.</summary>
    public PortRange DataPorts { get; init; } = PortRange.Any;

    /// <summary>The Akka.Management HTTP port (Cluster Bootstrap's contact point, /alive and /ready).</summary>
    public int ManagementPort { get; init; } = 8558;

    /// <summary>Whether this node runs Akka.Management: every Cluster Bootstrap node serves as a contact point.</summary>
    public bool UsesBootstrap => Discovery != ClusterDiscovery.SeedNodes;
}
