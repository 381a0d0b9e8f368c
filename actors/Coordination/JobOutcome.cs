namespace DistGrad.Distributed.Coordination;

/// <summary>How a job ended: its figures when it finished, or the reason it failed.</summary>
public sealed record JobOutcome(
    bool Succeeded, string? Error, int Steps, double? FinalLoss, double? TestAccuracy, int Nodes, double TrainSeconds, long TrainSamples)
{
    /// <summary>How many times the job rolled back to a checkpoint after losing a worker.</summary>
    public int Recoveries { get; init; }

    /// <summary>The job ran on another coordinator process (this one was its standby).</summary>
    public bool RanElsewhere { get; init; }

    public static JobOutcome Failed(string error, int steps, int nodes) => new(false, error, steps, null, null, nodes, 0, 0);
}
