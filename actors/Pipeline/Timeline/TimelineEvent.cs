namespace DistGrad.Distributed.Pipeline;

/// <summary>
/// One timed piece of a pipeline step on one worker, e.g. Name "F3" in Category "forward". StartMicroseconds is
/// wall-clock time (microseconds since the Unix epoch, from <see cref="TimelineClock"/>) so events recorded by
/// different processes on one machine line up; categories are listed in <see cref="TimelineCategories"/>.
/// </summary>
public readonly record struct TimelineEvent(
    int Rank, int Replica, int Stage, long Step, string Name, string Category, double StartMicroseconds, double DurationMicroseconds)
{
    /// <summary>When the event ended, in the same clock as <see cref="StartMicroseconds"/>.</summary>
    public double EndMicroseconds => StartMicroseconds + DurationMicroseconds;
}
