using System.Diagnostics;

namespace DistGrad.Distributed.Pipeline;

/// <summary>
/// Wall-clock microseconds with Stopwatch resolution: DateTime.UtcNow alone advances in steps that can be
/// as coarse as milliseconds, too coarse for micro-batch timings, while Stopwatch alone has no epoch that other
/// processes share. So one UTC reading anchors the Stopwatch's elapsed time.
/// </summary>
public static class TimelineClock
{
    private static readonly long AnchorTimestamp = Stopwatch.GetTimestamp();
    private static readonly double AnchorMicroseconds = (DateTime.UtcNow - DateTime.UnixEpoch).Ticks / 10.0;

    /// <summary>Microseconds since the Unix epoch.</summary>
    public static double NowMicroseconds() =>
        AnchorMicroseconds + Stopwatch.GetElapsedTime(AnchorTimestamp).Ticks / 10.0;
}
