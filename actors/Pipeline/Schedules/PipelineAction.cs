namespace DistGrad.Distributed.Pipeline;

/// <summary>One action of a stage's schedule; <see cref="MicroBatch"/> is -1 for <see cref="PipelineActionKind.GradientPipeline"/>.</summary>
public readonly record struct PipelineAction(PipelineActionKind Kind, int MicroBatch)
{
    /// <summary>The action that ends every stage's list.</summary>
    public static PipelineAction GradientPipeline { get; } = new(PipelineActionKind.GradientPipeline, -1);

    /// <summary>"Forward(3)", "SendActivation(3)", or "GradientPipeline": the form error messages and tests use.</summary>
    public override string ToString() =>
        Kind == PipelineActionKind.GradientPipeline ? nameof(PipelineActionKind.GradientPipeline) : $"{Kind}({MicroBatch})";
}
