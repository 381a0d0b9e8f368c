using DistGrad.Distributed.Jobs;

namespace DistGrad.Distributed.Gradients;

/// <summary>The gradient pipeline a job's options describe.</summary>
public static class GradientPipeline
{
    /// <summary>
    /// Accumulate → AllReduce(data-parallel) → GlobalNormClip (or a norm measurement when clipping is off,
    /// so every step logs its gradient norm) → ValueClip → OptimizerStep.
    /// </summary>
    public static IReadOnlyList<IGradientProcessor> For(JobSpec spec)
    {
        var processors = new List<IGradientProcessor>
        {
            new AccumulateGradients(spec.AccumulationSteps),
            new AllReduceGradients(spec.BucketBytes),
            new ClipGradientNorm(spec.ClipGradNorm ?? double.PositiveInfinity, spec.ClipNormType),
        };
        if (spec.ClipGradValue is { } value)
        {
            processors.Add(new ClipGradientValues(value));
        }

        processors.Add(new OptimizerStep());
        return processors;
    }
}
