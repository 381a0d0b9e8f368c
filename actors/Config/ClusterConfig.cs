using System.Globalization;
using System.Reflection;
using Akka.Configuration;

namespace DistGrad.Distributed.Config;

/// <summary>Builds a node's Akka configuration: its role, address and seed nodes over distgrad.hocon.</summary>
public static class ClusterConfig
{
    /// <summary>The ActorSystem name every DistGrad node uses (seed-node addresses name it).</summary>
    public const string SystemName = "distgrad";

    public const string CoordinatorRole = "coordinator";
    public const string WorkerRole = "worker";

    /// <summary>
    /// The configuration of a node with <paramref name="role"/> listening on <paramref name="hostname"/>:<paramref name="port"/>
    /// (0 picks a free port) that joins <paramref name="seedNodes"/> (empty: joined explicitly later). <paramref name="overrides"/>
    /// (a --config file's akka section) go over distgrad.hocon; the node's own address, roles and seeds go over both.
    /// </summary>
    public static Akka.Configuration.Config For(
        string role, string hostname, int port, IReadOnlyList<string> seedNodes, IReadOnlyList<string>? extraRoles = null, Akka.Configuration.Config? overrides = null)
    {
        var seeds = string.Join(", ", seedNodes.Select(s => "\"" + s + "\""));
        var roles = string.Join(", ", new[] { role }.Concat(extraRoles ?? []).Select(r => "\"" + r + "\""));
        var node = string.Create(CultureInfo.InvariantCulture, $$"""
            akka.remote.dot-netty.tcp.hostname = "{{hostname}}"
            akka.remote.dot-netty.tcp.port = {{port}}
            akka.cluster.roles = [{{roles}}]
            akka.cluster.seed-nodes = [{{seeds}}]
            """);
        var config = ConfigurationFactory.ParseString(node);
        return (overrides == null ? config : config.WithFallback(overrides)).WithFallback(Base);
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
