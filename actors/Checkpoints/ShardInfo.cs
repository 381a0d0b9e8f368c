namespace DistGrad.Distributed.Checkpoints;

/// <summary>
/// One worker's file of a checkpoint: its name within the step directory, its XxHash128 checksum
/// (32 lowercase hex digits) and its size.
/// </summary>
public sealed record ShardInfo(int Rank, string File, string Checksum, long Bytes);
