using DistGrad.Distributed.Pipeline;

namespace DistGrad.Distributed.Tests.Pipeline;

public class BubbleFractionTests
{
    [Fact]
    public void Theoretical_is_S_minus_one_over_M_plus_S_minus_one()
    {
        Assert.Equal(1.0 / 9, BubbleFraction.Theoretical(2, 8), 15);
        Assert.Equal(3.0 / 7, BubbleFraction.Theoretical(4, 4), 15);
        Assert.Equal(0, BubbleFraction.Theoretical(1, 5));
    }

    [Fact]
    public void Measured_compares_compute_time_with_stages_times_the_span()
    {
        // Worked out in TimelineEvents.GPipeTwoByTwo: span 900 µs, busy 1200 µs over 2 stages.
        Assert.Equal(1.0 / 3, BubbleFraction.Measured(TimelineEvents.GPipeTwoByTwo(), 2), 12);
    }

    [Fact]
    public void Measured_ignores_sends_receives_and_gradient_stages()
    {
        var computeOnly = TimelineEvents.GPipeTwoByTwo().Where(e => TimelineCategories.IsCompute(e.Category)).ToList();

        Assert.Equal(1.0 / 3, BubbleFraction.Measured(computeOnly, 2), 12);
    }

    [Fact]
    public void Perfectly_packed_stages_have_no_bubble()
    {
        // Two stages each busy from 0 to 300 µs.
        IReadOnlyList<TimelineEvent> events =
        [
            TimelineEvents.Forward(0, 0, 0, 100), TimelineEvents.Backward(0, 0, 100, 200),
            TimelineEvents.Forward(1, 0, 0, 150), TimelineEvents.Backward(1, 0, 150, 150),
        ];

        Assert.Equal(0, BubbleFraction.Measured(events, 2), 12);
    }

    [Fact]
    public void Measured_refuses_events_of_two_replicas()
    {
        var events = TimelineEvents.GPipeTwoByTwo(0).Concat(TimelineEvents.GPipeTwoByTwo(1)).ToList();

        Assert.Throws<ArgumentException>(() => BubbleFraction.Measured(events, 2));
    }
}
