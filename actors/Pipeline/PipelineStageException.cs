namespace DistGrad.Distributed.Pipeline;

/// <summary>An action of a pipeline stage failed; the message names the stage, the micro-batch and the action.</summary>
public sealed class PipelineStageException : Exception
{
    public PipelineStageException(int stage, int microBatch, int chunk, PipelineAction action, int rank, Exception inner)
        : base($"stage {stage} (rank {rank}), micro-batch {microBatch}{(chunk != microBatch ? $" (chunk {chunk})" : string.Empty)}: {action} failed: {inner.GetType().Name}: {inner.Message}", inner)
    {
        Stage = stage;
        MicroBatch = microBatch;
    }

    public int Stage { get; }

    public int MicroBatch { get; }
}
