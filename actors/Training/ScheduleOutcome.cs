using DistGrad.Distributed.Pipeline;

namespace DistGrad.Distributed.Training;

/// <summary>What running a stage's schedule for one step produced: loss and samples (last stage), the activation memory peak, the timeline.</summary>
internal sealed class ScheduleOutcome(List<TimelineEvent> timeline)
{
    private long _liveBytes;

    /// <summary>The sum of the micro-batches' mean losses (last stage only).</summary>
    public double LossSum { get; set; }

    /// <summary>Samples whose loss this stage computed (last stage only).</summary>
    public int Samples { get; set; }

    /// <summary>The most activation bytes held for backward at once during the step.</summary>
    public long PeakActivationBytes { get; private set; }

    public IReadOnlyList<TimelineEvent> Timeline => timeline;

    public void Hold(long bytes)
    {
        _liveBytes += bytes;
        PeakActivationBytes = Math.Max(PeakActivationBytes, _liveBytes);
    }

    public void Release(long bytes) => _liveBytes -= bytes;
}
