using DistGrad.Distributed.Formation;

namespace DistGrad.Distributed.Cli;

/// <summary>
/// The options that place a node on the network and say how it finds the cluster: the same spellings on
/// <c>train --cluster</c> (the coordinator's node) and on <c>worker</c>.
/// </summary>
internal static class NetworkSettings
{
    /// <summary>The settings for an options record <typeparamref name="T"/> that holds a <see cref="NodeNetwork"/>.</summary>
    public static CommandLineSetting<T>[] For<T>(Func<T, NodeNetwork> get, Func<T, NodeNetwork, T> set, string node)
    {
        CommandLineSetting<T> Value(string name, string valueName, string description, Func<NodeNetwork, string, NodeNetwork> apply) =>
            CommandLineSetting<T>.Value(name, valueName, description, (o, v) => set(o, apply(get(o), v)));

        return
        [
            Value("--discovery", "seed-nodes|config|kubernetes-api", "how the cluster forms: fixed seed nodes, Cluster Bootstrap over --contact-points, or over the pods the Kubernetes API lists [seed-nodes]", (n, v) => n with { Discovery = Discovery(v) }),
            Value("--seed-nodes", "URI,...", "akka.tcp://distgrad@HOST:PORT of the seed nodes (seed-nodes discovery)", (n, v) => n with { SeedNodes = SeedNodes(v) }),
            Value("--contact-points", "HOST:PORT,...", "the management endpoints of the cluster's nodes (config discovery)", (n, v) => n with { ContactPoints = ContactPoints(v) }),
            Value("--required-contact-points", "N", "contact points Cluster Bootstrap must find before it forms a new cluster [2]", (n, v) => n with { RequiredContactPoints = TrainOptionsParser.Int("--required-contact-points", v) }),
            Value("--pod-label-selector", "SELECTOR", "the pods that form the cluster (kubernetes-api discovery) [app.kubernetes.io/part-of=distgrad]", (n, v) => n with { PodLabelSelector = NonEmpty("--pod-label-selector", v) }),
            Value("--join-timeout", "SECONDS", "how long this node may take to join the cluster before it fails, saying what it found [60]", (n, v) => n with { JoinTimeout = Seconds("--join-timeout", v) }),
            Value("--hostname", "H", $"the address other nodes reach {node} at [127.0.0.1]", (n, v) => n with { Hostname = NonEmpty("--hostname", v) }),
            Value("--port", "P", $"the Akka port other nodes reach {node} at, 0 picks a free one [0]", (n, v) => n with { Port = TrainOptionsParser.Port("--port", v) }),
            Value("--bind-hostname", "H", "the address to listen on when it differs from --hostname (0.0.0.0: every interface) [--hostname]", (n, v) => n with { BindHostname = NonEmpty("--bind-hostname", v) }),
            Value("--bind-port", "P", "the Akka port to listen on when it differs from --port (NAT, containers) [--port]", (n, v) => n with { BindPort = TrainOptionsParser.Port("--bind-port", v) }),
            Value("--data-port", "P|LO-HI", "the port or port range of the workers' tensor transport, 0 picks a free one [0]", (n, v) => n with { DataPorts = DataPorts(v) }),
            Value("--management-port", "P", "the Akka.Management HTTP port: Cluster Bootstrap's contact point, /alive and /ready [8558]", (n, v) => n with { ManagementPort = TrainOptionsParser.Port("--management-port", v) }),
        ];
    }

    /// <summary>The mistakes only the options together show.</summary>
    public static void Check(NodeNetwork network, string command)
    {
        switch (network.Discovery)
        {
            case ClusterDiscovery.SeedNodes when network.SeedNodes.Count == 0:
                throw new UsageException($"{command} needs --seed-nodes akka.tcp://distgrad@HOST:PORT[,...] (or --discovery config|kubernetes-api)");
            case ClusterDiscovery.Config when network.ContactPoints.Count == 0:
                throw new UsageException("--discovery config needs --contact-points HOST:PORT[,...] (the nodes' management endpoints)");
            case ClusterDiscovery.Config when network.ContactPoints.Count < network.RequiredContactPoints:
                throw new UsageException($"--required-contact-points {network.RequiredContactPoints} can never be met by the {network.ContactPoints.Count} --contact-points given");
        }

        if (network.Discovery != ClusterDiscovery.SeedNodes && network.SeedNodes.Count > 0)
        {
            throw new UsageException($"--seed-nodes is for --discovery seed-nodes; --discovery {network.Discovery.Name()} finds the nodes itself");
        }

        if (network.Discovery != ClusterDiscovery.Config && network.ContactPoints.Count > 0)
        {
            throw new UsageException("--contact-points is for --discovery config");
        }

        if (network.UsesBootstrap && network.ManagementPort == 0)
        {
            throw new UsageException("--management-port 0: Cluster Bootstrap's contact points are found at a known port, so give one");
        }
    }

    private static ClusterDiscovery Discovery(string value)
    {
        try
        {
            return ClusterDiscoveryNames.Parse(value);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--discovery: {e.Message}");
        }
    }

    private static string[] SeedNodes(string value)
    {
        var seeds = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var bad = seeds.FirstOrDefault(s => !s.StartsWith("akka.tcp://", StringComparison.Ordinal) && !s.StartsWith("akka.ssl.tcp://", StringComparison.Ordinal));
        return bad == null ? seeds : throw new UsageException($"--seed-nodes: '{bad}' is not an address like akka.tcp://distgrad@HOST:PORT");
    }

    private static string[] ContactPoints(string value)
    {
        var points = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var point in points)
        {
            int colon = point.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(point[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            {
                throw new UsageException($"--contact-points: '{point}' is not HOST:PORT (a node's management endpoint)");
            }
        }

        return points;
    }

    private static PortRange DataPorts(string value)
    {
        try
        {
            return PortRange.Parse(value);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--data-port: {e.Message}");
        }
    }

    private static TimeSpan Seconds(string option, string value) =>
        double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var s) && s > 0 && double.IsFinite(s)
            ? TimeSpan.FromSeconds(s)
            : throw new UsageException($"{option} must be a positive number of seconds, got '{value}'");

    private static string NonEmpty(string option, string value) =>
        string.IsNullOrWhiteSpace(value) ? throw new UsageException($"{option} needs a value") : value;
}
