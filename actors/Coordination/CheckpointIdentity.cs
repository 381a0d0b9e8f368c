using System.Globalization;

namespace DistGrad.Distributed.Coordination;

/// <summary>
/// What makes a checkpoint belong to a job: recorded in every checkpoint.json the coordinator commits, and
/// compared by <c>train --resume</c>, so the keys written and the keys checked are one list.
/// </summary>
public static class CheckpointIdentity
{
    /// <summary>The job's identity; its partition must already be resolved to layer counts.</summary>
    public static IReadOnlyDictionary<string, string> Of(JobSpec spec) => new Dictionary<string, string>
    {
        ["job"] = spec.Job,
        ["seed"] = spec.Seed.ToString(CultureInfo.InvariantCulture),
        ["batch_size"] = spec.BatchSize.ToString(CultureInfo.InvariantCulture),
        ["data_parallel"] = spec.DataParallel.ToString(CultureInfo.InvariantCulture),
        ["pipeline_stages"] = spec.PipelineStages.ToString(CultureInfo.InvariantCulture),
        ["partition"] = spec.Partition,
        ["optimizer"] = spec.Optimizer,
    };
}
