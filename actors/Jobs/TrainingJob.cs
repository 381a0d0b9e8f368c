using DistGrad.Data;
using DistGrad.Distributed.Gradients;
using DistGrad.Nn;
using DistGrad.Optim;

namespace DistGrad.Distributed;

/// <summary>
/// A training job as user code defines it: what to build (model, data, loss, optimizer, LR schedule),
/// what happens to gradients between backward and the optimizer step, and what to call as the job runs.
/// The same program runs as coordinator and as every worker (<see cref="DistGradApp"/>), so each process
/// holds the job's code and only its name and options (<see cref="JobSpec"/>) cross the cluster.
/// </summary>
/// <remarks>
/// Every factory receives a <see cref="JobContext"/> and must be deterministic in it: all workers build the
/// same model from the job's seed (a fingerprint of parameter names and shapes is compared when workers
/// start), and each worker reads only the samples of its own slices of every global batch through
/// <see cref="Dataset.GetBatch"/>, so a dataset that reads lazily reads only its own shard.
/// </remarks>
public sealed record TrainingJob
{
    /// <summary>A job named <paramref name="name"/> (what <c>train --job NAME</c> selects).</summary>
    public TrainingJob(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.Any(char.IsWhiteSpace))
        {
            throw new ArgumentException($"a job name is one word (it is given on command lines); got '{name}'", nameof(name));
        }

        Name = name;
    }

    public string Name { get; }

    /// <summary>One line for <c>--help</c> and job listings.</summary>
    public string Description { get; init; } = string.Empty;

    /// <summary>The job's options before the command line overrides them (batch size, layout, optimizer settings, …).</summary>
    public JobSpec Defaults { get; init; } = new();

    /// <summary>Builds the whole model; draw every parameter from <see cref="JobContext.Generator"/>.</summary>
    public required Func<JobContext, Module> Model { get; init; }

    /// <summary>The training set. Inputs come out of it as the model's first layer takes them.</summary>
    public required Func<JobContext, Dataset> TrainingData { get; init; }

    /// <summary>The test set rank 0 evaluates the final model on (null: no evaluation).</summary>
    public Func<JobContext, Dataset>? TestData { get; init; }

    /// <summary>(model output, target) → scalar loss, the mean over the batch. Cross-entropy unless set.</summary>
    public Func<Tensor, Tensor, Tensor> Loss { get; init; } = (output, target) => Functional.CrossEntropy(output, target);

    /// <summary>
    /// Builds the optimizer over a worker's parameters; null builds the one the options name
    /// (<c>--optimizer</c>, <c>--lr</c>, <c>--momentum</c>, <c>--weight-decay</c>).
    /// </summary>
    public Func<JobContext, IEnumerable<Tensor>, Optimizer>? Optimizer { get; init; }

    /// <summary>An LR scheduler over the worker's optimizer, stepped after every optimizer step (null: constant LR).</summary>
    public Func<JobContext, Optimizer, LRScheduler>? Scheduler { get; init; }

    /// <summary>
    /// Gradient processors that run on this replica's own gradients, after accumulation and before the
    /// all-reduce (one factory call per worker, so a processor may keep state).
    /// </summary>
    public IReadOnlyList<Func<JobContext, IGradientProcessor>> BeforeAllReduce { get; init; } = [];

    /// <summary>Gradient processors that run on the all-reduced (averaged) gradients, before clipping.</summary>
    public IReadOnlyList<Func<JobContext, IGradientProcessor>> AfterAllReduce { get; init; } = [];

    /// <summary>
    /// Replaces the whole gradient pipeline (null: <see cref="Gradients.GradientPipeline.For(TrainingJob, JobSpec, JobContext)"/> builds it from the options and
    /// the two hook lists). The list must end with an <see cref="OptimizerStep"/> and hold the same collectives, in the same order, on every worker.
    /// </summary>
    public Func<JobContext, IReadOnlyList<IGradientProcessor>>? GradientPipeline { get; init; }

    /// <summary>(model in eval mode, test set, context) → the metric summary.json reports as <c>test_accuracy</c>; null: classification accuracy by argmax.</summary>
    public Func<Module, Dataset, JobContext, double>? Evaluate { get; init; }

    /// <summary>Called on the coordinator after every optimizer step.</summary>
    public Action<StepEnd>? OnStepEnd { get; init; }

    /// <summary>Called on the coordinator after the last step of every epoch.</summary>
    public Action<EpochEnd>? OnEpochEnd { get; init; }

    /// <summary>Called on the coordinator when a checkpoint has been committed.</summary>
    public Action<CheckpointWritten>? OnCheckpointWritten { get; init; }

    /// <summary>Name and version of the assembly that defines the job's model factory: part of the fingerprint workers compare.</summary>
    public string AssemblyIdentity
    {
        get
        {
            var assembly = Model.Method.DeclaringType?.Assembly.GetName();
            return assembly == null ? "unknown" : $"{assembly.Name} {assembly.Version}";
        }
    }

    public override string ToString() => Description.Length == 0 ? Name : $"{Name}: {Description}";
}
