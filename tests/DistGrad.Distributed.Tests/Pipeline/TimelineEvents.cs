using DistGrad.Distributed.Pipeline;

namespace DistGrad.Distributed.Tests.Pipeline;

/// <summary>Hand-made timelines with round numbers, so expected results can be worked out on paper.</summary>
internal static class TimelineEvents
{
    // A wall-clock origin like TimelineClock's, far from zero, so relative times are really computed.
    public const double Origin = 1_700_000_000_000_000;

    public static TimelineEvent Forward(int stage, int microBatch, double start, double duration, int replica = 0) =>
        new(Rank(replica, stage), replica, stage, 7, $"F{microBatch}", TimelineCategories.Forward, Origin + start, duration);

    public static TimelineEvent Backward(int stage, int microBatch, double start, double duration, int replica = 0) =>
        new(Rank(replica, stage), replica, stage, 7, $"B{microBatch}", TimelineCategories.Backward, Origin + start, duration);

    public static TimelineEvent Other(int stage, string name, string category, double start, double duration, int replica = 0) =>
        new(Rank(replica, stage), replica, stage, 7, name, category, Origin + start, duration);

    /// <summary>
    /// GPipe, 2 stages, 2 micro-batches, forwards 100 µs, backwards 200 µs, no transfer time:
    /// stage 0 F0 [0,100) F1 [100,200) then waits for gradient 1, B1 [500,700) B0 [700,900);
    /// stage 1 F0 [100,200) F1 [200,300) B1 [300,500) B0 [500,700).
    /// Span 900, busy 2 × 600 = 1200, bubble 1 − 1200 / (2 × 900) = 1/3.
    /// </summary>
    public static IReadOnlyList<TimelineEvent> GPipeTwoByTwo(int replica = 0) =>
    [
        Forward(0, 0, 0, 100, replica),
        Other(0, "send act 0", TimelineCategories.Send, 100, 5, replica),
        Forward(0, 1, 100, 100, replica),
        Other(0, "send act 1", TimelineCategories.Send, 200, 5, replica),
        Other(0, "recv grad 1", TimelineCategories.Recv, 200, 300, replica),
        Backward(0, 1, 500, 200, replica),
        Backward(0, 0, 700, 200, replica),
        Other(0, "gradients", TimelineCategories.Gradients, 900, 300, replica),
        Other(1, "recv act 0", TimelineCategories.Recv, 0, 100, replica),
        Forward(1, 0, 100, 100, replica),
        Forward(1, 1, 200, 100, replica),
        Backward(1, 1, 300, 200, replica),
        Backward(1, 0, 500, 200, replica),
        Other(1, "send grad 0", TimelineCategories.Send, 700, 5, replica),
        Other(1, "gradients", TimelineCategories.Gradients, 900, 300, replica),
    ];

    private static int Rank(int replica, int stage) => (replica * 2) + stage;
}
