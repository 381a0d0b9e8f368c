using DistGrad.Distributed.Formation;
using DistGrad.Distributed.Security;

namespace DistGrad.Distributed.Cli;

/// <summary>Everything <c>worker</c> (and node-host) was told: where to join, where to listen, which devices to offer.</summary>
public sealed record WorkerOptions
{
    /// <summary>Where the node listens, what it advertises, and how it finds the cluster.</summary>
    public NodeNetwork Network { get; init; } = new();

    /// <summary>This node's certificates and the CA it trusts, or --insecure.</summary>
    public TlsFiles Tls { get; init; } = new();

    /// <summary>The devices to host a worker on, one worker each, resolved (cpu, cuda:0, …).</summary>
    public string Devices { get; init; } = "cpu";

    /// <summary>none, console or otlp: where this node's worker spans and metrics go.</summary>
    public string Telemetry { get; init; } = "none";

    public string? OtlpEndpoint { get; init; }

    /// <summary>The only job this node runs (null: every job of the program).</summary>
    public string? Job { get; init; }

    /// <summary>Akka settings from a --config file's <c>akka</c> section, over DistGrad's embedded cluster configuration.</summary>
    public Akka.Configuration.Config? AkkaOverrides { get; init; }

    /// <summary>Worker slots the devices give: one per device.</summary>
    public int Slots => Devices.Split(',', StringSplitOptions.RemoveEmptyEntries).Length;
}
