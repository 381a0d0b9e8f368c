namespace DistGrad.Distributed.Pipeline;

/// <summary>Which actions a stage's position in the pipeline requires: the first stage receives no activation, the last no gradient.</summary>
internal static class StageRole
{
    private static readonly PipelineActionKind[] PerMicroBatch =
    [
        PipelineActionKind.RecvActivation, PipelineActionKind.Forward, PipelineActionKind.SendActivation,
        PipelineActionKind.RecvGradient, PipelineActionKind.Backward, PipelineActionKind.SendGradient,
    ];

    /// <summary>The per-micro-batch kinds the stage must run exactly once for each micro-batch.</summary>
    public static IEnumerable<PipelineActionKind> RequiredKinds(int stage, int stages) =>
        PerMicroBatch.Where(kind => Allows(kind, stage, stages));

    /// <summary>Whether the stage may have an action of this kind at all.</summary>
    public static bool Allows(PipelineActionKind kind, int stage, int stages) => kind switch
    {
        PipelineActionKind.RecvActivation or PipelineActionKind.SendGradient => stage > 0,
        PipelineActionKind.SendActivation or PipelineActionKind.RecvGradient => stage < stages - 1,
        _ => true,
    };

    /// <summary>Why a stage may not have this kind, for error messages.</summary>
    public static string WhyNot(PipelineActionKind kind) => kind switch
    {
        PipelineActionKind.RecvActivation => "the first stage reads its input from the data, not from a previous stage",
        PipelineActionKind.SendGradient => "the first stage has no previous stage to send a gradient to",
        PipelineActionKind.SendActivation => "the last stage has no next stage to send an activation to",
        PipelineActionKind.RecvGradient => "the last stage computes its gradient from the loss, not from a next stage",
        _ => "every stage may run it",
    };
}
