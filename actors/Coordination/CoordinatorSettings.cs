
namespace DistGrad.Distributed.Coordination;

/// <summary>How the coordinator runs a job, beyond the job itself.</summary>
/// <param name="WorkerWaitTimeout">How long to wait for enough worker slots to join.</param>
/// <param name="FinalParametersPath">Where rank 0 writes final.safetensors (null: not written).</param>
/// <param name="ResumeFrom">A checkpoint to start from (train --resume): its directory and step.</param>
public sealed record CoordinatorSettings(TimeSpan WorkerWaitTimeout, string? FinalParametersPath, (string Directory, long Step)? ResumeFrom = null)
{
    /// <summary>
    /// A standby's checkpoint directory: when this coordinator starts (the job's first coordinator is gone),
    /// it continues from the newest whole checkpoint there.
    /// </summary>
    public string? TakeOverCheckpoints { get; init; }

    /// <summary>The cluster role every coordinator process of this job has; the job's end is announced to them.</summary>
    public string? JobRole { get; init; }

    /// <summary>The job as the coordinator's process builds it; a worker whose fingerprint differs fails the job before step 1 (null: not compared).</summary>
    public JobFingerprint? Fingerprint { get; init; }

    /// <summary>The deadline for any one answer from the workers: the job's step timeout.</summary>
    public TimeSpan ActionTimeout(JobSpec spec) => spec.StepTimeout;
}
