using System.Globalization;
using System.Reflection;
using Akka.Configuration;
using DistGrad.Distributed.Formation;

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
    public static Akka.Configuration.Config For(
        string role, NodeNetwork network, IReadOnlyList<string>? extraRoles = null, Akka.Configuration.Config? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        var seeds = network.Discovery == ClusterDiscovery.SeedNodes ? network.SeedNodes : [];
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
        if (overrides != null)
        {
            config = config.WithFallback(overrides);
        }

        // A --config file's akka section may tune Cluster Bootstrap and discovery (an API token path, a namespace).
        return (network.UsesBootstrap ? config.WithFallback(BootstrapConfig.For(network)) : config).WithFallback(Base);
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
