using DistGrad.Distributed.Checkpoints;

namespace DistGrad.Distributed.Tests.Checkpoints;

/// <summary>Small checkpoints written through a store, for the tests that damage or prune them.</summary>
internal static class CheckpointFixtures
{
    /// <summary>A shard whose values depend on step and rank, so a read of the wrong one shows.</summary>
    public static WorkerCheckpoint Shard(long step, int rank) => new(
        step,
        new Dictionary<string, Tensor>
        {
            ["0.weight"] = Tensor.From(Enumerable.Range(0, 12).Select(i => (float)(i + step + (rank * 100))).ToArray(), [3, 4]),
            ["0.bias"] = Tensor.From([step, rank, 0.5f]),
        },
        new Dictionary<string, Tensor>
        {
            ["state.0.momentum_buffer"] = Tensor.Full([3, 4], 0.25 * step),
            ["param_groups.0.lr"] = Tensor.Scalar(0.1),
            ["param_groups.0.params"] = Tensor.From([0L, 1L]),
        },
        new Dictionary<string, string> { ["step"] = step.ToString(System.Globalization.CultureInfo.InvariantCulture), ["rank"] = rank.ToString(System.Globalization.CultureInfo.InvariantCulture) });

    /// <summary>Writes every rank's shard of <paramref name="step"/> and commits it.</summary>
    public static IReadOnlyList<ShardInfo> WriteWhole(CheckpointStore store, long step, int worldSize = 2)
    {
        var shards = Enumerable.Range(0, worldSize).Select(rank => store.WriteShard(step, rank, Shard(step, rank))).ToList();
        store.Commit(step, worldSize, shards, new Dictionary<string, string> { ["job"] = "mlp", ["layout"] = $"dp={worldSize}" });
        return shards;
    }

    public static string ShardPath(CheckpointStore store, long step, int rank) =>
        Path.Combine(store.StepDirectory(step), $"rank-{rank:D5}.safetensors");
}
