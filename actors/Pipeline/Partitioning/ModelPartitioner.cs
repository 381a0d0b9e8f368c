using System.Globalization;
using DistGrad.Nn;

namespace DistGrad.Distributed.Pipeline;

/// <summary>
/// Cuts a model with an ordered list of children (a <see cref="Sequential"/>) into S pipeline stages:
/// balanced by parameter count (<c>params</c>), by a measured forward-time profile (<c>profile</c>), or as
/// given (<c>3,2,2</c>: children per stage).
/// </summary>
/// <remarks>
/// Every worker of a stage must cut the model identically. Parameter counts are the same everywhere, but
/// timings are not, so the coordinator measures the profile once and sends the resulting sizes
/// (<see cref="ResolveSizes"/>); workers only ever cut by counts or explicit sizes.
/// </remarks>
public static class ModelPartitioner
{
    public const string ByParameters = "params";
    public const string ByProfile = "profile";

    /// <summary>The children a pipeline may cut between, in order, with their names in the model.</summary>
    public static IReadOnlyList<(string Name, Module Layer)> CuttableChildren(Module model, string modelName) =>
        model is Sequential sequential
            ? sequential.NamedChildren().ToArray()
            : throw new ArgumentException($"model '{modelName}' ({model.GetType().Name}) has no ordered list of children to cut into pipeline stages; build it as a Sequential");

    /// <summary>What is wrong with the job's pipeline options for its model; empty when it can be cut.</summary>
    public static IReadOnlyList<string> Problems(TrainingJob job, JobSpec spec)
    {
        if (spec.PipelineStages <= 1 && spec.Partition is ByParameters or ByProfile)
        {
            return [];
        }

        try
        {
            var model = job.Model(new JobContext(spec));
            var children = CuttableChildren(model, spec.Job);
            if (spec.Partition is not (ByParameters or ByProfile))
            {
                Parse(spec.Partition, spec.PipelineStages, children.Count, spec.Job);
            }
            else if (spec.PipelineStages > children.Count)
            {
                return [TooManyStages(spec.PipelineStages, children, spec.Job)];
            }

            return [];
        }
        catch (ArgumentException e)
        {
            return [e.Message];
        }
    }

    /// <summary>
    /// The children per stage for <paramref name="spec"/>, for the coordinator: <c>profile</c> is measured here
    /// (forward time of each child on a micro-batch), <c>params</c> and explicit sizes are computed.
    /// </summary>
    public static int[] ResolveSizes(TrainingJob job, JobSpec spec)
    {
        var context = new JobContext(spec);
        var model = job.Model(context);
        if (spec.Partition != ByProfile)
        {
            return Sizes(model, spec);
        }

        var children = CuttableChildren(model, spec.Job);
        ThrowIfTooManyStages(spec.PipelineStages, children, spec.Job);
        // A real micro-batch of the job's own data, so the profile sees the input shape the model takes.
        var train = job.TrainingData(context);
        var batch = Math.Min(Math.Max(1, spec.MicroBatchSize), train.Count);
        var input = train.GetBatch(Enumerable.Range(0, batch).ToArray()).X;
        return ContiguousBalancer.Balance(ForwardProfile.Measure(children.Select(c => c.Layer).ToArray(), input), spec.PipelineStages);
    }

    /// <summary>Children per stage by parameter count (each child also counts one, so parameter-free layers spread) or as given.</summary>
    public static int[] Sizes(Module model, JobSpec spec)
    {
        var children = CuttableChildren(model, spec.Job);
        switch (spec.Partition)
        {
            case ByParameters:
                ThrowIfTooManyStages(spec.PipelineStages, children, spec.Job);
                return ContiguousBalancer.Balance(children.Select(c => 1.0 + c.Layer.Parameters().Sum(p => (double)p.Numel)).ToArray(), spec.PipelineStages);
            case ByProfile:
                throw new InvalidOperationException("a 'profile' partition is measured once by the coordinator (ModelPartitioner.ResolveSizes) and sent as sizes; workers cannot measure it themselves");
            default:
                return Parse(spec.Partition, spec.PipelineStages, children.Count, spec.Job);
        }
    }

    /// <summary>The shard of <paramref name="stage"/>: its run of children, keeping their names.</summary>
    public static PipelineShard Shard(Module model, string modelName, IReadOnlyList<int> sizes, int stage)
    {
        var children = CuttableChildren(model, modelName);
        var start = sizes.Take(stage).Sum();
        return new PipelineShard(children.Skip(start).Take(sizes[stage]));
    }

    /// <summary>Reads "3,2,2": one positive count per stage, adding up to the model's children.</summary>
    public static int[] Parse(string partition, int stages, int children, string modelName)
    {
        var parts = partition.Split(',', StringSplitOptions.TrimEntries);
        var sizes = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out sizes[i]) || sizes[i] <= 0)
            {
                throw new ArgumentException($"--partition '{partition}' must be '{ByParameters}', '{ByProfile}' or positive layer counts per stage such as 3,2 ('{parts[i]}' is not a positive integer)");
            }
        }

        if (sizes.Length != stages)
        {
            throw new ArgumentException($"--partition '{partition}' gives {sizes.Length} stage(s) but --pipeline-stages is {stages}");
        }

        if (sizes.Sum() != children)
        {
            throw new ArgumentException($"--partition '{partition}' covers {sizes.Sum()} layer(s) but model '{modelName}' has {children} cuttable children");
        }

        return sizes;
    }

    private static void ThrowIfTooManyStages(int stages, IReadOnlyList<(string Name, Module Layer)> children, string modelName)
    {
        if (stages > children.Count)
        {
            throw new ArgumentException(TooManyStages(stages, children, modelName));
        }
    }

    private static string TooManyStages(int stages, IReadOnlyList<(string Name, Module Layer)> children, string modelName) =>
        $"--pipeline-stages {stages} is more than the {children.Count} cuttable children of model '{modelName}' ({string.Join(", ", children.Select(c => c.Layer.GetType().Name))})";
}
