using System.Globalization;
using System.Reflection;
using Akka.Configuration;
using DistGrad.Distributed.Formation;
using DistGrad.Distributed.Security;

namespace DistGrad.Distributed.Config;

/// <summary>Builds a node's Akka configuration: its role, address and seed nodes over distgrad.hocon.</summary>
public static class ClusterConfig
{
    /// <summary>The ActorSystem name every DistGrad node uses (seed-node addresses name it).</summary>
    public const string SystemName = "distgrad";

    public const string CoordinatorRole = "coordinator";
    public const string WorkerRole = "worker";

    /// <summary>
    /// The configuration of a node with <paramref name="role"/> placed as <paramref name="network"/> says: it listens on
    /// the bind address, advertises the public one, and joins the seed nodes or starts Cluster Bootstrap's discovery.
    /// <paramref name="overrides"/> (a --config file's akka section) go over distgrad.hocon and the discovery settings;
    /// the node's own address and roles go over all of them.
    /// </summary>
    /// <param name="role">The node's cluster role.</param>
    /// <param name="network">Where it listens and how it finds the cluster.</param>
    /// <param name="extraRoles">More roles.</param>
    /// <param name="overrides">A --config file's akka section.</param>
    /// <param name="secure">
    /// Mutual TLS on Akka.Remote (the certificates come with <see cref="NodeSystem.Create"/>); seed nodes given as
    /// akka.tcp are then dialled as akka.ssl.tcp, the scheme of a secured node.
    /// </param>
    public static Akka.Configuration.Config For(
        string role, NodeNetwork network, IReadOnlyList<string>? extraRoles = null, Akka.Configuration.Config? overrides = null, bool secure = false)
    {
        ArgumentNullException.ThrowIfNull(network);
        var seeds = (network.Discovery == ClusterDiscovery.SeedNodes ? network.SeedNodes : []).Select(s => SeedAddress(s, secure)).ToList();
        var roles = string.Join(", ", new[] { role }.Concat(extraRoles ?? []).Select(HostAddress.Quote));
        var node = string.Create(CultureInfo.InvariantCulture, $$"""
            akka.remote.dot-netty.tcp.hostname = {{HostAddress.Quote(network.BindHostname ?? network.Hostname)}}
            akka.remote.dot-netty.tcp.public-hostname = {{HostAddress.Quote(network.Hostname)}}
            akka.remote.dot-netty.tcp.port = {{network.BindPort ?? network.Port}}
            akka.remote.dot-netty.tcp.public-port = {{network.Port}}
            akka.cluster.roles = [{{roles}}]
            akka.cluster.seed-nodes = [{{string.Join(", ", seeds.Select(HostAddress.Quote))}}]
            """);
        var config = ConfigurationFactory.ParseString(node);
        if (secure)
        {
            config = config.WithFallback(NodeTls.Hocon);
        }

        if (overrides != null)
        {
            config = config.WithFallback(overrides);
        }

        // A --config file's akka section may tune Cluster Bootstrap and discovery (an API token path, a namespace).
        return (network.UsesBootstrap ? config.WithFallback(BootstrapConfig.For(network)) : config).WithFallback(Base);
    }

    /// <summary><paramref name="seed"/> in the scheme this node speaks: users write akka.tcp whether or not the cluster runs TLS.</summary>
    public static string SeedAddress(string seed, bool secure)
    {
        ArgumentNullException.ThrowIfNull(seed);
        const string Plain = "akka.tcp://";
        const string Secured = NodeTls.Protocol + "://";
        if (secure && seed.StartsWith(Plain, StringComparison.Ordinal))
        {
            return Secured + seed[Plain.Length..];
        }

        return !secure && seed.StartsWith(Secured, StringComparison.Ordinal) ? Plain + seed[Secured.Length..] : seed;
    }

    /// <summary>distgrad.hocon, embedded in this assembly.</summary>
    public static Akka.Configuration.Config Base { get; } = ConfigurationFactory.ParseString(ReadEmbedded());

    private static string ReadEmbedded()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("distgrad.hocon")
            ?? throw new InvalidOperationException("distgrad.hocon is missing from DistGrad.Distributed");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
