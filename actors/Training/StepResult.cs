namespace DistGrad.Actors.Training;

/// <summary>What one worker reports for one optimizer step.</summary>
/// <param name="Loss">Mean loss over this worker's samples of the step.</param>
/// <param name="Samples">Samples this worker computed.</param>
/// <param name="GradNorm">The global gradient norm before clipping (NaN when no stage measured it).</param>
/// <param name="BytesAllReduced">Bytes this worker sent in the step's collectives.</param>
/// <param name="ComputeMilliseconds">Forward, backward and stages, as this worker timed them.</param>
public sealed record StepResult(double Loss, int Samples, double GradNorm, long BytesAllReduced, double ComputeMilliseconds);
