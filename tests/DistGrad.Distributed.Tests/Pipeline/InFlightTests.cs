using DistGrad.Distributed.Pipeline;

namespace DistGrad.Distributed.Tests.Pipeline;

/// <summary>
/// The memory 1F1B saves: a stage holds a micro-batch's activations from its forward to its backward, so the
/// most forwards done minus backwards done at any point of its list is how many it holds at once.
/// </summary>
public class InFlightTests
{
    [Theory]
    [MemberData(nameof(ScheduleCompletenessTests.Layouts), MemberType = typeof(ScheduleCompletenessTests))]
    public void OneFOneB_holds_at_most_S_minus_s_micro_batches_on_stage_s_and_GPipe_holds_all(string name, int stages, int microBatches)
    {
        var schedule = PipelineSchedules.For(name, stages, microBatches);

        for (var stage = 0; stage < stages; stage++)
        {
            var expected = name == "gpipe" ? microBatches : Math.Min(stages - stage, microBatches);
            Assert.Equal(expected, MaxInFlight(schedule.ForStage(stage)));
        }
    }

    private static int MaxInFlight(IEnumerable<PipelineAction> actions)
    {
        var inFlight = 0;
        var max = 0;
        foreach (var action in actions)
        {
            inFlight += action.Kind switch
            {
                PipelineActionKind.Forward => 1,
                PipelineActionKind.Backward => -1,
                _ => 0,
            };
            max = Math.Max(max, inFlight);
        }

        return max;
    }
}
