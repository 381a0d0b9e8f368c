using DistGrad.Distributed.Messages;

namespace DistGrad.Distributed.Coordination;

/// <summary>
/// The coordinator that ran a job → every other coordinator process of the same job (standbys): the job is
/// over, with this outcome, so they stop waiting to take over.
/// </summary>
public sealed record JobEnded(bool Succeeded, string? Error, int Steps) : IControlMessage;
