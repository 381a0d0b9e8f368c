using DistGrad.Actors.Jobs;

namespace DistGrad.Actors.Stages;

/// <summary>The stage list a job's options describe.</summary>
public static class StagePlan
{
    /// <summary>
    /// Accumulate → AllReduce(data-parallel) → GlobalNormClip (or a norm measurement when clipping is off,
    /// so every step logs its gradient norm) → ValueClip → OptimizerStep.
    /// </summary>
    public static IReadOnlyList<IGradientStage> For(JobSpec spec)
    {
        var stages = new List<IGradientStage>
        {
            new AccumulateStage(spec.AccumulationSteps),
            new AllReduceStage(spec.BucketBytes),
            new GlobalNormClipStage(spec.ClipGradNorm ?? double.PositiveInfinity, spec.ClipNormType),
        };
        if (spec.ClipGradValue is { } value)
        {
            stages.Add(new ValueClipStage(value));
        }

        stages.Add(new OptimizerStepStage());
        return stages;
    }
}
