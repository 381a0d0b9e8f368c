namespace DistGrad.Distributed.Checkpoints;

/// <summary>A committed checkpoint as its checkpoint.json describes it: one shard per rank 0..WorldSize-1.</summary>
public sealed record CheckpointInfo(
    long Step,
    string Directory,
    int WorldSize,
    IReadOnlyList<ShardInfo> Shards,
    IReadOnlyDictionary<string, string> Metadata);
