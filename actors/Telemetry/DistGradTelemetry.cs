using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace DistGrad.Distributed.Telemetry;

/// <summary>
/// DistGrad's OpenTelemetry sources: spans for steps, forward, backward, each gradient processor and each
/// collective, and metrics for step time, bytes all-reduced and the gradient norm. Exporters are chosen by
/// the process that hosts them (the coordinator's --telemetry option).
/// </summary>
public static class DistGradTelemetry
{
    public const string WorkerSourceName = "DistGrad.Worker";
    public const string CoordinatorSourceName = "DistGrad.Coordinator";
    public const string MeterName = "DistGrad.Training";

    /// <summary>Every source name, for an exporter's AddSource.</summary>
    public static IReadOnlyList<string> SourceNames { get; } = [WorkerSourceName, CoordinatorSourceName];

    public static ActivitySource Worker { get; } = new(WorkerSourceName);

    public static ActivitySource Coordinator { get; } = new(CoordinatorSourceName);

    public static Meter Meter { get; } = new(MeterName);

    /// <summary>Wall time of one optimizer step as the coordinator sees it.</summary>
    public static Histogram<double> StepDuration { get; } =
        Meter.CreateHistogram<double>("distgrad.step.duration", unit: "ms", description: "Wall time of one optimizer step");

    /// <summary>Bytes each worker sends in gradient all-reduces.</summary>
    public static Counter<long> AllReduceBytes { get; } =
        Meter.CreateCounter<long>("distgrad.allreduce.bytes", unit: "By", description: "Bytes sent by gradient all-reduces");

    /// <summary>The global gradient norm before clipping.</summary>
    public static Histogram<double> GradNorm { get; } =
        Meter.CreateHistogram<double>("distgrad.grad.norm", description: "Global gradient norm before clipping");

    /// <summary>Training samples processed.</summary>
    public static Counter<long> Samples { get; } =
        Meter.CreateCounter<long>("distgrad.samples", description: "Training samples processed");

    /// <summary>Recoveries: a job rolled back to its last checkpoint after losing a worker.</summary>
    public static Counter<long> Recoveries { get; } =
        Meter.CreateCounter<long>("distgrad.recoveries", description: "Times a job rolled back to its last checkpoint after losing a worker");

    /// <summary>Checkpoints committed.</summary>
    public static Counter<long> Checkpoints { get; } =
        Meter.CreateCounter<long>("distgrad.checkpoints", description: "Checkpoints committed");
}
