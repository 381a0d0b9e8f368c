namespace DistGrad.Distributed;

/// <summary>
/// Where each rank sits in a D × S layout: rank = replica · S + stage. The replicas of a stage form its
/// data-parallel group; the stages of a replica form its model group.
/// </summary>
public sealed record JobLayout(int DataParallel, int PipelineStages)
{
    public static JobLayout Of(JobSpec spec) => new(spec.DataParallel, spec.PipelineStages);

    public int WorldSize => DataParallel * PipelineStages;

    public int ReplicaOf(int rank) => rank / PipelineStages;

    public int StageOf(int rank) => rank % PipelineStages;

    /// <summary>The ranks holding the same stage as <paramref name="rank"/>, replica 0 first.</summary>
    public IReadOnlyList<int> DataParallelGroupOf(int rank) =>
        Enumerable.Range(0, DataParallel).Select(r => (r * PipelineStages) + StageOf(rank)).ToArray();

    /// <summary>The ranks holding the stages of <paramref name="rank"/>'s replica, stage 0 first.</summary>
    public IReadOnlyList<int> ModelGroupOf(int rank) =>
        Enumerable.Range(0, PipelineStages).Select(s => (ReplicaOf(rank) * PipelineStages) + s).ToArray();
}
