namespace DistGrad.Actors.Checkpoints;

/// <summary>One worker's file of a checkpoint: its name within the step directory, SHA-256 (lowercase hex) and size.</summary>
public sealed record ShardInfo(int Rank, string File, string Sha256, long Bytes);
