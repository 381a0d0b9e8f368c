namespace DistGrad.Distributed.Gradients;

/// <summary>Applies the optimizer to the final gradients, steps the LR scheduler when the job has one, then clears the gradients (set to null) for the next step.</summary>
public sealed class OptimizerStep : IGradientProcessor
{
    public string Name => "OptimizerStep";

    public void Run(GradientContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Optimizer.Step();
        context.Scheduler?.Step();
        context.Optimizer.ZeroGrad();
    }
}
