namespace DistGrad.Distributed;

/// <summary>Checks a job before any worker starts, so a bad layout fails with one clear line.</summary>
public static class JobSpecValidation
{
    /// <summary>The problems with <paramref name="spec"/>, each a sentence naming the option; empty when it is runnable.</summary>
    public static IReadOnlyList<string> Problems(JobSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var problems = new List<string>();
        void Positive(int value, string option)
        {
            if (value <= 0)
            {
                problems.Add($"{option} must be a positive integer, got {value}");
            }
        }

        Positive(spec.BatchSize, "--batch-size");
        Positive(spec.AccumulationSteps, "--accumulation-steps");
        Positive(spec.DataParallel, "--data-parallel");
        Positive(spec.PipelineStages, "--pipeline-stages");
        Positive(spec.MicroBatches, "--micro-batches");
        Positive(spec.Epochs, "--epochs");
        if (spec.Steps is { } steps)
        {
            Positive(steps, "--steps");
        }

        if (spec.CheckpointEvery is { } every)
        {
            Positive(every, "--checkpoint-every");
        }

        Positive(spec.CheckpointKeep, "--checkpoint-keep");
        if (spec.MaxRestarts < 0)
        {
            problems.Add($"--max-restarts must be zero or a positive integer, got {spec.MaxRestarts}");
        }

        if (!DatasetCatalog.Names.Contains(spec.Dataset))
        {
            problems.Add($"--dataset '{spec.Dataset}' is not a known dataset (known: {string.Join(", ", DatasetCatalog.Names)})");
        }

        if (!OptimizerFactory.Names.Contains(spec.Optimizer))
        {
            problems.Add($"--optimizer '{spec.Optimizer}' is not one of {string.Join(", ", OptimizerFactory.Names)}");
        }

        if (!double.IsFinite(spec.LearningRate) || spec.LearningRate < 0)
        {
            problems.Add($"--lr must be a non-negative number, got {spec.LearningRate}");
        }

        if (spec.ClipGradNorm is { } maxNorm && (!double.IsFinite(maxNorm) || maxNorm <= 0))
        {
            problems.Add($"--clip-grad-norm must be a positive number, got {maxNorm}");
        }

        if (spec.ClipGradValue is { } value && (!double.IsFinite(value) || value <= 0))
        {
            problems.Add($"--clip-grad-value must be a positive number, got {value}");
        }

        var split = spec.DataParallel * spec.AccumulationSteps * spec.MicroBatches;
        if (split > 0 && spec.BatchSize > 0 && spec.BatchSize % split != 0)
        {
            problems.Add($"--batch-size {spec.BatchSize} is not divisible by data-parallel × accumulation-steps × micro-batches = " +
                $"{spec.DataParallel} × {spec.AccumulationSteps} × {spec.MicroBatches} = {split}");
        }

        if (!Pipeline.PipelineSchedules.Names.Contains(spec.Schedule))
        {
            problems.Add($"--schedule '{spec.Schedule}' is not one of {string.Join(", ", Pipeline.PipelineSchedules.Names)}");
        }

        return problems;
    }

    /// <summary>The problems with running <paramref name="job"/> under <paramref name="spec"/>: the options' own, then whether its model can be cut as asked.</summary>
    public static IReadOnlyList<string> Problems(TrainingJob job, JobSpec spec)
    {
        ArgumentNullException.ThrowIfNull(job);
        var problems = Problems(spec).ToList();
        if (problems.Count == 0 && spec.PipelineStages > 0)
        {
            problems.AddRange(Pipeline.ModelPartitioner.Problems(job, spec));
        }

        return problems;
    }

    /// <summary>Throws <see cref="ArgumentException"/> with every problem when the spec is not runnable.</summary>
    public static void ThrowIfInvalid(JobSpec spec) => Throw(Problems(spec));

    /// <summary>Throws <see cref="ArgumentException"/> with every problem when <paramref name="job"/> cannot run under <paramref name="spec"/>.</summary>
    public static void ThrowIfInvalid(TrainingJob job, JobSpec spec) => Throw(Problems(job, spec));

    private static void Throw(IReadOnlyList<string> problems)
    {
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", problems));
        }
    }
}
