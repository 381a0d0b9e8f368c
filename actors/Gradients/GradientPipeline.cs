namespace DistGrad.Distributed.Gradients;

/// <summary>The gradient pipeline a job and its options describe.</summary>
public static class GradientPipeline
{
    /// <summary>
    /// Accumulate → the job's <see cref="TrainingJob.BeforeAllReduce"/> processors → AllReduce(data-parallel) →
    /// its <see cref="TrainingJob.AfterAllReduce"/> processors → GlobalNormClip (or a norm measurement when
    /// clipping is off, so every step logs its gradient norm) → ValueClip → OptimizerStep; or the job's own
    /// <see cref="TrainingJob.GradientPipeline"/> when it gives one.
    /// </summary>
    public static IReadOnlyList<IGradientProcessor> For(TrainingJob job, JobSpec spec, JobContext context)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.GradientPipeline is { } custom)
        {
            var processors = custom(context);
            if (processors.Count == 0 || processors[^1] is not OptimizerStep)
            {
                throw new ArgumentException($"job '{job.Name}': its gradient pipeline must end with an OptimizerStep (it has: {string.Join(" → ", processors.Select(p => p.Name))})");
            }

            return processors;
        }

        return Build(spec, job.BeforeAllReduce.Select(f => f(context)), job.AfterAllReduce.Select(f => f(context)));
    }

    /// <summary>The pipeline the options alone describe (no hooks).</summary>
    public static IReadOnlyList<IGradientProcessor> For(JobSpec spec) => Build(spec, [], []);

    private static List<IGradientProcessor> Build(JobSpec spec, IEnumerable<IGradientProcessor> beforeAllReduce, IEnumerable<IGradientProcessor> afterAllReduce)
    {
        var processors = new List<IGradientProcessor> { new AccumulateGradients(spec.AccumulationSteps) };
        processors.AddRange(beforeAllReduce);
        processors.Add(new AllReduceGradients(spec.BucketBytes));
        processors.AddRange(afterAllReduce);
        processors.Add(new ClipGradientNorm(spec.ClipGradNorm ?? double.PositiveInfinity, spec.ClipNormType));
        if (spec.ClipGradValue is { } value)
        {
            processors.Add(new ClipGradientValues(value));
        }

        processors.Add(new OptimizerStep());
        return processors;
    }
}
