namespace DistGrad.Distributed.Pipeline;

/// <summary>
/// Checks a schedule before any worker runs it: each stage's list must be complete and locally ordered, every
/// send must meet its receive on the neighbouring stage, and executing the lists together must not deadlock.
/// A bad schedule would otherwise show up as a step that hangs until its timeout.
/// </summary>
public static class ScheduleValidator
{
    /// <summary>Every problem found, each a sentence naming the stage and the action; empty when the schedule is valid.</summary>
    public static IReadOnlyList<string> Problems(PipelineSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var shape = ShapeProblems(schedule);
        if (shape is not null)
        {
            return [shape];
        }

        var problems = new List<string>();
        for (var stage = 0; stage < schedule.Stages; stage++)
        {
            problems.AddRange(StageOrderCheck.Problems(schedule, stage));
        }

        problems.AddRange(MessagePairingCheck.Problems(schedule));

        // Simulate only lists that are complete and paired: a missing send would otherwise be reported a
        // second time as the deadlock it causes, burying the cause under its effect.
        if (problems.Count == 0 && DeadlockSimulation.Deadlock(schedule) is { } deadlock)
        {
            problems.Add(deadlock);
        }

        return problems;
    }

    /// <summary>Throws an <see cref="ArgumentException"/> listing every problem when the schedule is invalid.</summary>
    public static void ThrowIfInvalid(PipelineSchedule schedule)
    {
        var problems = Problems(schedule);
        if (problems.Count > 0)
        {
            throw new ArgumentException(
                $"Pipeline schedule '{schedule.Name}' ({schedule.Stages} stages, {schedule.MicroBatches} micro-batches) is invalid: "
                + string.Join(" ", problems),
                nameof(schedule));
        }
    }

    private static string? ShapeProblems(PipelineSchedule schedule)
    {
        if (schedule.Stages < 1 || schedule.MicroBatches < 1)
        {
            return $"The schedule has {schedule.Stages} stages and {schedule.MicroBatches} micro-batches; it needs at least one of each.";
        }

        return schedule.Actions.Count == schedule.Stages
            ? null
            : $"The schedule has action lists for {schedule.Actions.Count} stages but declares {schedule.Stages} stages.";
    }
}
