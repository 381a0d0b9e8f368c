using DistGrad.Distributed.Pipeline;
using DistGrad.Distributed.Coordination;

namespace DistGrad.Distributed.Running;

/// <summary>
/// Keeps the timelines of a pipeline job's steps and writes them into the run directory: timeline.json
/// (Chrome trace events, opens in Perfetto) and timeline.svg (one representative step drawn), with the
/// measured bubble fraction beside the theoretical (S−1)/(M+S−1).
/// </summary>
public sealed class PipelineTimelineRecorder
{
    /// <summary>Steps whose events are kept for timeline.json; later steps still count in the bubble figures.</summary>
    public const int KeptSteps = 50;

    private readonly List<TimelineEvent> _kept = [];
    private readonly List<(long Step, double Bubble, IReadOnlyList<TimelineEvent> Events)> _steps = [];
    private long[] _peakActivationBytes = [];

    public void Record(StepRecord record)
    {
        var stages = record.PeakActivationBytesByStage.Count;
        if (record.Timeline.Count == 0)
        {
            return;
        }

        if (_steps.Count < KeptSteps)
        {
            _kept.AddRange(record.Timeline);
        }

        var bubble = record.Timeline.GroupBy(e => e.Replica).Average(replica => BubbleFraction.Measured(replica.ToArray(), stages));
        // Only the latest steps' events are kept for the picture, so memory stays flat over a long run.
        _steps.Add((record.Step, bubble, _steps.Count < KeptSteps ? record.Timeline : []));
        if (_peakActivationBytes.Length < record.PeakActivationBytesByStage.Count)
        {
            Array.Resize(ref _peakActivationBytes, record.PeakActivationBytesByStage.Count);
        }

        for (var s = 0; s < record.PeakActivationBytesByStage.Count; s++)
        {
            _peakActivationBytes[s] = Math.Max(_peakActivationBytes[s], record.PeakActivationBytesByStage[s]);
        }
    }

    /// <summary>Whether any step had a timeline (pipeline jobs).</summary>
    public bool HasSteps => _steps.Count > 0;

    /// <summary>
    /// The median measured bubble fraction, leaving out the first step when there are others (it pays for
    /// warm-up: JIT, first allocations, connection set-up).
    /// </summary>
    public double MedianBubble()
    {
        var bubbles = (_steps.Count > 1 ? _steps.Skip(1) : _steps).Select(s => s.Bubble).Order().ToArray();
        return bubbles.Length == 0 ? double.NaN : bubbles[bubbles.Length / 2];
    }

    public IReadOnlyList<long> PeakActivationBytesByStage => _peakActivationBytes;

    /// <summary>Writes timeline.json and timeline.svg into <paramref name="directory"/>.</summary>
    public void Write(string directory, JobSpec spec)
    {
        if (!HasSteps)
        {
            return;
        }

        ChromeTrace.Write(Path.Combine(directory, "timeline.json"), _kept);
        // The drawn step is the kept one whose bubble is closest to the median: a typical step, not the warm-up.
        var median = MedianBubble();
        var shown = _steps.Where(s => s.Events.Count > 0 && (_steps.Count == 1 || s.Step > 1)).DefaultIfEmpty(_steps[0])
            .MinBy(s => Math.Abs(s.Bubble - median));
        TimelineSvg.Write(Path.Combine(directory, "timeline.svg"), shown.Events, spec.PipelineStages, spec.MicroBatches * spec.AccumulationSteps, spec.Schedule);
    }
}
