namespace DistGrad.Distributed.Messages;

// Coordinator ↔ standby coordinators of the same job.

/// <summary>
/// The coordinator that ran a job → every other coordinator process of the same job (standbys): the job is
/// over, with this outcome, so they stop waiting to take over.
/// </summary>
public sealed record JobEnded(bool Succeeded, string? Error, int Steps) : IControlMessage;
