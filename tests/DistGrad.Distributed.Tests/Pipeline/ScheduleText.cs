using DistGrad.Distributed.Pipeline;

namespace DistGrad.Distributed.Tests.Pipeline;

/// <summary>Stage lists as one line of action names, so tests can state expected schedules by hand.</summary>
internal static class ScheduleText
{
    public static string Of(IEnumerable<PipelineAction> actions) => string.Join(" ", actions);

    /// <summary>A schedule built from hand-written stage lines such as "Forward(0) SendActivation(0) ... GradientPipeline".</summary>
    public static PipelineSchedule Parse(int microBatches, params string[] stageLines) => new(
        "hand-written",
        stageLines.Length,
        microBatches,
        stageLines.Select(line => (IReadOnlyList<PipelineAction>)line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(ParseAction).ToList()).ToList());

    private static PipelineAction ParseAction(string text)
    {
        var open = text.IndexOf('(');
        return open < 0
            ? new(Enum.Parse<PipelineActionKind>(text), -1)
            : new(Enum.Parse<PipelineActionKind>(text[..open]), int.Parse(text[(open + 1)..^1], System.Globalization.CultureInfo.InvariantCulture));
    }
}
