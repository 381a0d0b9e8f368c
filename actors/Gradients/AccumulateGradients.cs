namespace DistGrad.Distributed.Gradients;

/// <summary>
/// Gradient accumulation over <see cref="Steps"/> micro-steps, PyTorch's recipe: each micro-step's loss is
/// multiplied by <see cref="LossScale"/> = 1/K before its backward, so the leaves' gradients add up to the
/// gradient of the mean loss over the whole batch. The trainer reads both from this processor.
/// </summary>
/// <remarks>
/// After the last micro-step the processor gives every parameter a gradient (zeros where the graph never
/// reached it), so that all replicas flatten the same tensors into the same all-reduce buckets.
/// </remarks>
public sealed class AccumulateGradients : IGradientProcessor
{
    public AccumulateGradients(int steps)
    {
        if (steps <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(steps), steps, $"accumulation steps must be a positive integer, got {steps}");
        }

        Steps = steps;
    }

    public int Steps { get; }

    /// <summary>The factor applied to each micro-step's loss.</summary>
    public double LossScale => 1.0 / Steps;

    public string Name => $"Accumulate({Steps})";

    public void Run(GradientContext context)
    {
        foreach (var (_, parameter) in context.Parameters)
        {
            if (parameter.RequiresGrad && parameter.Grad == null)
            {
                parameter.Grad = Tensor.ZerosLike(parameter);
            }
        }
    }
}
