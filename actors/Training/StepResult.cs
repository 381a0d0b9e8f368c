using DistGrad.Distributed.Pipeline;

namespace DistGrad.Distributed.Training;

/// <summary>What one worker reports for one optimizer step.</summary>
/// <param name="Loss">Mean loss over this worker's samples of the step (NaN on stages other than the last, which compute no loss).</param>
/// <param name="Samples">Samples whose loss this worker computed.</param>
/// <param name="GradNorm">The global gradient norm before clipping (NaN when no stage measured it).</param>
/// <param name="BytesAllReduced">Bytes this worker sent in the step's collectives.</param>
/// <param name="ComputeMilliseconds">Forward, backward and stages, as this worker timed them.</param>
public sealed record StepResult(double Loss, int Samples, double GradNorm, long BytesAllReduced, double ComputeMilliseconds)
{
    /// <summary>The worker's pipeline stage.</summary>
    public int Stage { get; init; }

    /// <summary>The learning rate the step's optimizer step used (before the LR scheduler moved it on).</summary>
    public double LearningRate { get; init; }

    /// <summary>The most bytes of saved activations (parameters excluded) alive at once during the step.</summary>
    public long PeakActivationBytes { get; init; }

    /// <summary>Every action the worker ran in the step, timed.</summary>
    public IReadOnlyList<TimelineEvent> Timeline { get; init; } = [];
}
