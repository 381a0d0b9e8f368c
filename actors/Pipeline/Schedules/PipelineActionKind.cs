namespace DistGrad.Distributed.Pipeline;

/// <summary>What one step of a pipeline stage's schedule does.</summary>
public enum PipelineActionKind
{
    /// <summary>Wait for the previous stage's output activation of a micro-batch.</summary>
    RecvActivation,

    /// <summary>Run the stage's forward on a micro-batch (on the last stage this includes the loss).</summary>
    Forward,

    /// <summary>Send the stage's output activation of a micro-batch to the next stage (never blocks).</summary>
    SendActivation,

    /// <summary>Wait for the next stage's gradient with respect to this stage's output of a micro-batch.</summary>
    RecvGradient,

    /// <summary>Run the stage's backward on a micro-batch.</summary>
    Backward,

    /// <summary>Send the gradient with respect to the stage's input of a micro-batch to the previous stage (never blocks).</summary>
    SendGradient,

    /// <summary>Run the gradient processors (accumulate, all-reduce, clip, optimizer step) once every micro-batch is done.</summary>
    GradientPipeline,
}
