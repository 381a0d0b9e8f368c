using DistGrad.Actors.Jobs;

namespace DistGrad.Coordinator.Coordination;

/// <summary>How the coordinator runs a job, beyond the job itself.</summary>
/// <param name="WorkerWaitTimeout">How long to wait for enough worker slots to join.</param>
/// <param name="FinalParametersPath">Where rank 0 writes final.safetensors (null: not written).</param>
/// <param name="ResumeFrom">A checkpoint to start from (train --resume): its directory and step.</param>
public sealed record CoordinatorSettings(TimeSpan WorkerWaitTimeout, string? FinalParametersPath, (string Directory, long Step)? ResumeFrom = null)
{
    /// <summary>The deadline for any one answer from the workers: the job's step timeout.</summary>
    public TimeSpan ActionTimeout(JobSpec spec) => spec.StepTimeout;
}
