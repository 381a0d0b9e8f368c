using DistGrad.Distributed.Pipeline;

namespace DistGrad.Distributed.Coordination;

/// <summary>One optimizer step as the coordinator records it (a line of metrics.jsonl).</summary>
/// <param name="Step">1-based step number.</param>
/// <param name="Loss">Mean training loss over the global batch.</param>
/// <param name="GradNorm">Global gradient norm before clipping.</param>
/// <param name="LearningRate">The optimizer's learning rate for the step.</param>
/// <param name="Samples">Samples in the global batch.</param>
/// <param name="DurationMilliseconds">Wall time from sending RunStep to the last StepDone.</param>
/// <param name="BytesAllReduced">Bytes all workers sent in the step's collectives.</param>
public sealed record StepRecord(long Step, double Loss, double GradNorm, double LearningRate, int Samples, double DurationMilliseconds, long BytesAllReduced)
{
    /// <summary>Every worker's timed actions in the step (pipeline jobs; empty otherwise).</summary>
    public IReadOnlyList<TimelineEvent> Timeline { get; init; } = [];

    /// <summary>Per stage, the most saved-activation bytes any of its workers held at once.</summary>
    public IReadOnlyList<long> PeakActivationBytesByStage { get; init; } = [];
}
