namespace DistGrad.Actors.Pipeline;

/// <summary>One action of a stage's schedule; <see cref="MicroBatch"/> is -1 for <see cref="PipelineActionKind.GradientStages"/>.</summary>
public readonly record struct PipelineAction(PipelineActionKind Kind, int MicroBatch)
{
    /// <summary>The action that ends every stage's list.</summary>
    public static PipelineAction GradientStages { get; } = new(PipelineActionKind.GradientStages, -1);

    /// <summary>"Forward(3)", "SendActivation(3)", or "GradientStages": the form error messages and tests use.</summary>
    public override string ToString() =>
        Kind == PipelineActionKind.GradientStages ? nameof(PipelineActionKind.GradientStages) : $"{Kind}({MicroBatch})";
}
