namespace DistGrad.Distributed.Pipeline;

/// <summary>The share of a pipeline step that stages spend idle, predicted and measured.</summary>
public static class BubbleFraction
{
    /// <summary>(S-1)/(M+S-1): the idle share of GPipe or 1F1B when every forward and backward takes the same time.</summary>
    public static double Theoretical(int stages, int microBatches)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stages, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(microBatches, 1);
        return (stages - 1.0) / (microBatches + stages - 1.0);
    }

    /// <summary>
    /// 1 − busy / (S × span) for one step of one replica, where span runs from the first forward or backward start
    /// to the last one's end over all its stages and busy sums the forward and backward durations. Sends, receives
    /// and gradient processors are ignored: the bubble is the compute a stage could have done but did not.
    /// </summary>
    public static double Measured(IReadOnlyList<TimelineEvent> oneReplicaOneStep, int stages)
    {
        ArgumentNullException.ThrowIfNull(oneReplicaOneStep);
        ArgumentOutOfRangeException.ThrowIfLessThan(stages, 1);
        var compute = oneReplicaOneStep.Where(e => TimelineCategories.IsCompute(e.Category)).ToList();
        if (compute.Count == 0)
        {
            throw new ArgumentException("The events hold no forward or backward to measure.", nameof(oneReplicaOneStep));
        }

        if (compute.Select(e => (e.Replica, e.Step)).Distinct().Skip(1).Any())
        {
            throw new ArgumentException("The events must belong to one replica and one step.", nameof(oneReplicaOneStep));
        }

        var span = compute.Max(e => e.EndMicroseconds) - compute.Min(e => e.StartMicroseconds);

        // Zero-length work leaves nothing to be idle against.
        return span <= 0 ? 0 : 1 - (compute.Sum(e => e.DurationMicroseconds) / (stages * span));
    }
}
