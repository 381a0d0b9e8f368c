namespace DistGrad.Actors.Stages;

/// <summary>Applies the optimizer to the final gradients, then clears them (set to null) for the next step.</summary>
public sealed class OptimizerStepStage : IGradientStage
{
    public string Name => "OptimizerStep";

    public void Run(GradientStageContext context)
    {
        context.Optimizer.Step();
        context.Optimizer.ZeroGrad();
    }
}
