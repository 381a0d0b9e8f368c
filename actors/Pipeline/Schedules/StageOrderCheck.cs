namespace DistGrad.Distributed.Pipeline;

/// <summary>
/// The checks one stage's list must pass on its own: only actions its position allows, micro-batches in range,
/// each required action exactly once, receives before and sends after the work they belong to, and exactly
/// one GradientPipeline at the end.
/// </summary>
internal static class StageOrderCheck
{
    // (earlier, later): the first must run before the second on the same stage and micro-batch.
    private static readonly (PipelineActionKind Earlier, PipelineActionKind Later)[] Order =
    [
        (PipelineActionKind.RecvActivation, PipelineActionKind.Forward),
        (PipelineActionKind.Forward, PipelineActionKind.SendActivation),
        (PipelineActionKind.Forward, PipelineActionKind.Backward),
        (PipelineActionKind.RecvGradient, PipelineActionKind.Backward),
        (PipelineActionKind.Backward, PipelineActionKind.SendGradient),
    ];

    public static IEnumerable<string> Problems(PipelineSchedule schedule, int stage)
    {
        var actions = schedule.Actions[stage] ?? [];
        var positions = new Dictionary<PipelineAction, List<int>>();
        var problems = new List<string>();
        var gradientPipelineAt = new List<int>();
        for (var i = 0; i < actions.Count; i++)
        {
            var action = actions[i];
            if (action.Kind == PipelineActionKind.GradientPipeline)
            {
                gradientPipelineAt.Add(i);
                if (action.MicroBatch != -1)
                {
                    problems.Add($"Stage {stage} has GradientPipeline with micro-batch {action.MicroBatch}; it takes -1.");
                }
            }
            else if (!StageRole.Allows(action.Kind, stage, schedule.Stages))
            {
                problems.Add($"Stage {stage} has {action}, but {StageRole.WhyNot(action.Kind)}.");
            }
            else if (action.MicroBatch < 0 || action.MicroBatch >= schedule.MicroBatches)
            {
                problems.Add($"Stage {stage} has {action}, but micro-batches run from 0 to {schedule.MicroBatches - 1}.");
            }
            else
            {
                (positions.TryGetValue(action, out var at) ? at : positions[action] = []).Add(i);
            }
        }

        problems.AddRange(CountProblems(schedule, stage, positions));
        problems.AddRange(OrderProblems(schedule, stage, positions));
        problems.AddRange(GradientPipelineProblems(stage, gradientPipelineAt, actions.Count));
        return problems;
    }

    private static IEnumerable<string> CountProblems(PipelineSchedule schedule, int stage, Dictionary<PipelineAction, List<int>> positions)
    {
        foreach (var kind in StageRole.RequiredKinds(stage, schedule.Stages))
        {
            for (var m = 0; m < schedule.MicroBatches; m++)
            {
                var action = new PipelineAction(kind, m);
                var count = positions.TryGetValue(action, out var at) ? at.Count : 0;
                if (count == 0)
                {
                    yield return $"Stage {stage} has no {action}.";
                }
                else if (count > 1)
                {
                    yield return $"Stage {stage} has {action} {count} times; it must run once.";
                }
            }
        }
    }

    private static IEnumerable<string> OrderProblems(PipelineSchedule schedule, int stage, Dictionary<PipelineAction, List<int>> positions)
    {
        for (var m = 0; m < schedule.MicroBatches; m++)
        {
            foreach (var (earlierKind, laterKind) in Order)
            {
                var earlier = new PipelineAction(earlierKind, m);
                var later = new PipelineAction(laterKind, m);

                // Missing and repeated actions are reported by the count check; their order has no single answer.
                if (positions.TryGetValue(earlier, out var e) && e.Count == 1
                    && positions.TryGetValue(later, out var l) && l.Count == 1
                    && l[0] < e[0])
                {
                    yield return $"Stage {stage} runs {later} before {earlier}; it must come after it.";
                }
            }
        }
    }

    private static IEnumerable<string> GradientPipelineProblems(int stage, List<int> at, int count)
    {
        if (at.Count == 0)
        {
            yield return $"Stage {stage} has no GradientPipeline; its list must end with one.";
        }
        else if (at.Count > 1)
        {
            yield return $"Stage {stage} has GradientPipeline {at.Count} times; it must run once, at the end.";
        }
        else if (at[0] != count - 1)
        {
            yield return $"Stage {stage} has {count - 1 - at[0]} actions after GradientPipeline; it must be the last action.";
        }
    }
}
