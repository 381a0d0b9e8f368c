namespace DistGrad.Distributed.Coordination;

/// <summary>Something notable in a job's life besides its steps: a checkpoint written, a recovery, a resume.</summary>
/// <param name="Kind">"checkpoint", "recovery", "resumed" or "checkpoint-skipped".</param>
/// <param name="Step">The step it concerns (the checkpoint's step; the step training goes on from).</param>
/// <param name="Message">One line for people.</param>
/// <param name="Seconds">How long it took, where that means something (a recovery: from the failure to training again).</param>
public sealed record JobEvent(string Kind, long Step, string Message, double? Seconds = null)
{
    /// <summary>The checkpoint's folder, for a "checkpoint" event.</summary>
    public string? Directory { get; init; }
}
