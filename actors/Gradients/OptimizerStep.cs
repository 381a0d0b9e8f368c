namespace DistGrad.Distributed.Gradients;

/// <summary>Applies the optimizer to the final gradients, then clears them (set to null) for the next step.</summary>
public sealed class OptimizerStep : IGradientProcessor
{
    public string Name => "OptimizerStep";

    public void Run(GradientContext context)
    {
        context.Optimizer.Step();
        context.Optimizer.ZeroGrad();
    }
}
