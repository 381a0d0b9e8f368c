namespace DistGrad.Distributed.Pipeline;

/// <summary>
/// Runs the stage lists together the way workers do: each stage executes its list in order, a receive waits
/// until the neighbour's matching send has run, and sends never wait (they are buffered). GradientPipeline is
/// treated as free to run: it is the last action of every valid list, so waiting for the other stages there
/// could not change whether the step finishes.
/// </summary>
internal static class DeadlockSimulation
{
    /// <summary>The deadlock, naming each stuck stage and the receive it waits at; null when every stage finishes.</summary>
    public static string? Deadlock(PipelineSchedule schedule)
    {
        var next = new int[schedule.Stages];
        var delivered = new Dictionary<(int Receiver, PipelineActionKind Recv, int MicroBatch), int>();
        bool progressed;
        do
        {
            progressed = false;
            for (var stage = 0; stage < schedule.Stages; stage++)
            {
                var actions = schedule.Actions[stage];
                while (next[stage] < actions.Count && TryRun(stage, actions[next[stage]], delivered))
                {
                    next[stage]++;
                    progressed = true;
                }
            }
        }
        while (progressed);

        var stuck = Enumerable.Range(0, schedule.Stages)
            .Where(stage => next[stage] < schedule.Actions[stage].Count)
            .Select(stage => Waiting(stage, schedule.Actions[stage][next[stage]]))
            .ToList();
        return stuck.Count == 0 ? null : $"deadlock: {string.Join(", ", stuck)}.";
    }

    private static bool TryRun(int stage, PipelineAction action, Dictionary<(int, PipelineActionKind, int), int> delivered)
    {
        switch (action.Kind)
        {
            case PipelineActionKind.SendActivation:
                Deliver(delivered, (stage + 1, PipelineActionKind.RecvActivation, action.MicroBatch));
                return true;
            case PipelineActionKind.SendGradient:
                Deliver(delivered, (stage - 1, PipelineActionKind.RecvGradient, action.MicroBatch));
                return true;
            case PipelineActionKind.RecvActivation or PipelineActionKind.RecvGradient:
                var key = (stage, action.Kind, action.MicroBatch);
                if (delivered.GetValueOrDefault(key) == 0)
                {
                    return false;
                }

                delivered[key]--;
                return true;
            default:
                return true;
        }
    }

    private static void Deliver(Dictionary<(int, PipelineActionKind, int), int> delivered, (int, PipelineActionKind, int) key) =>
        delivered[key] = delivered.GetValueOrDefault(key) + 1;

    private static string Waiting(int stage, PipelineAction action)
    {
        var sender = action.Kind == PipelineActionKind.RecvActivation ? stage - 1 : stage + 1;
        return $"stage {stage} waits at {action} (stage {sender} has not sent it)";
    }
}
