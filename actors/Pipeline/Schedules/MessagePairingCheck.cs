namespace DistGrad.Distributed.Pipeline;

/// <summary>
/// Every send must meet exactly one receive of the same micro-batch on the neighbouring stage, and every receive
/// a send: an unmatched send leaks a buffered tensor, an unmatched receive blocks its stage forever.
/// </summary>
internal static class MessagePairingCheck
{
    public static IEnumerable<string> Problems(PipelineSchedule schedule)
    {
        for (var stage = 0; stage < schedule.Stages - 1; stage++)
        {
            var next = stage + 1;
            foreach (var problem in Pair(schedule, stage, PipelineActionKind.SendActivation, next, PipelineActionKind.RecvActivation, "activation"))
            {
                yield return problem;
            }

            foreach (var problem in Pair(schedule, next, PipelineActionKind.SendGradient, stage, PipelineActionKind.RecvGradient, "gradient"))
            {
                yield return problem;
            }
        }
    }

    private static IEnumerable<string> Pair(
        PipelineSchedule schedule, int sender, PipelineActionKind send, int receiver, PipelineActionKind recv, string what)
    {
        var sent = Count(schedule.Actions[sender], send);
        var received = Count(schedule.Actions[receiver], recv);
        foreach (var m in sent.Keys.Union(received.Keys).Order())
        {
            var (sendCount, recvCount) = (sent.GetValueOrDefault(m), received.GetValueOrDefault(m));
            var sends = Runs(sender, new(send, m), sendCount);
            var receives = Runs(receiver, new(recv, m), recvCount);
            if (sendCount != recvCount)
            {
                // The side that runs more comes first: it is the one left without a partner.
                yield return sendCount > recvCount
                    ? $"Unpaired {what} {m}: {sends} but {receives}."
                    : $"Unpaired {what} {m}: {receives} but {sends}.";
            }
        }
    }

    private static Dictionary<int, int> Count(IReadOnlyList<PipelineAction>? actions, PipelineActionKind kind) =>
        (actions ?? []).Where(a => a.Kind == kind).CountBy(a => a.MicroBatch).ToDictionary();

    private static string Runs(int stage, PipelineAction action, int times) => times switch
    {
        0 => $"stage {stage} never runs {action}",
        1 => $"stage {stage} runs {action} once",
        _ => $"stage {stage} runs {action} {times} times",
    };
}
