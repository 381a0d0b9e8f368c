using DistGrad.Distributed.Formation;
using DistGrad.Distributed.Security;


namespace DistGrad.Distributed.Cli;

/// <summary>Everything <c>train</c> was told: the job, and how to run it (cluster, run directory, telemetry).</summary>
public sealed record TrainOptions
{
    public JobSpec Spec { get; init; } = new();

    /// <summary>The run directory; null picks runs/&lt;UTC time&gt;.</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>Worker nodes of the embedded cluster.</summary>
    public int LocalNodes { get; init; } = 2;

    /// <summary>Join an existing cluster (found as <see cref="Network"/> says) instead of starting an embedded one.</summary>
    public bool UseCluster { get; init; }

    /// <summary>Where the coordinator's node listens, what it advertises, and how it finds the cluster.</summary>
    public NodeNetwork Network { get; init; } = new();

    /// <summary>The certificates of the coordinator's node with --cluster (the embedded cluster makes its own).</summary>
    public TlsFiles Tls { get; init; } = new();

    /// <summary>How long to wait for enough worker slots.</summary>
    public TimeSpan WorkerWaitTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Devices of the embedded cluster's workers, taken in turn: cpu, cuda:N, ilgpu-cpu (already resolved from auto).</summary>
    public IReadOnlyList<Device> Devices { get; init; } = [Device.Cpu];

    /// <summary>none, console or otlp.</summary>
    public string Telemetry { get; init; } = "none";

    public string? OtlpEndpoint { get; init; }

    /// <summary>A run directory (or its checkpoints folder) whose newest whole checkpoint this job continues from.</summary>
    public string? ResumeDirectory { get; init; }

    /// <summary>Stand by for the job's coordinator (same options and --out): take over from its last checkpoint if its node is lost.</summary>
    public bool Standby { get; init; }

    /// <summary>Akka settings from a --config file's <c>akka</c> section, over DistGrad's embedded cluster configuration.</summary>
    public Akka.Configuration.Config? AkkaOverrides { get; init; }
}
