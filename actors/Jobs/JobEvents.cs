namespace DistGrad.Distributed;

/// <summary>An optimizer step as the coordinator saw it (the job's <see cref="TrainingJob.OnStepEnd"/>).</summary>
/// <param name="Step">Steps done so far (1 after the first).</param>
/// <param name="Loss">Mean loss of the step's global batch.</param>
/// <param name="GradNorm">Global gradient norm before clipping.</param>
/// <param name="LearningRate">The learning rate the step used.</param>
/// <param name="Samples">Samples in the step's global batch.</param>
/// <param name="DurationMilliseconds">Wall time of the step as the coordinator measured it.</param>
public sealed record StepEnd(long Step, double Loss, double GradNorm, double LearningRate, int Samples, double DurationMilliseconds);

/// <summary>The end of an epoch (the job's <see cref="TrainingJob.OnEpochEnd"/>).</summary>
/// <param name="Epoch">The epoch that ended (1 after the first).</param>
/// <param name="Step">Steps done so far.</param>
/// <param name="MeanLoss">Mean of the epoch's step losses that this coordinator saw.</param>
public sealed record EpochEnd(int Epoch, long Step, double MeanLoss);

/// <summary>A committed checkpoint (the job's <see cref="TrainingJob.OnCheckpointWritten"/>).</summary>
/// <param name="Step">The step whose end state it holds.</param>
/// <param name="Directory">The checkpoint's folder.</param>
public sealed record CheckpointWritten(long Step, string Directory);
