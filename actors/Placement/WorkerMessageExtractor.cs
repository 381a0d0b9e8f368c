using System.Globalization;
using Akka.Cluster.Sharding;
using DistGrad.Distributed.Messages;

namespace DistGrad.Distributed.Placement;

/// <summary>
/// Routes <see cref="StartWorker"/> to the entity of its (job attempt, rank). Each entity is a shard of its
/// own, so the allocation strategy places every worker individually.
/// </summary>
public sealed class WorkerMessageExtractor : IMessageExtractor
{
    public static string EntityIdOf(string jobId, int rank) => string.Create(CultureInfo.InvariantCulture, $"{jobId}-rank{rank}");

    /// <summary>The job attempt a shard (or entity) id belongs to.</summary>
    public static string JobOf(string shardId) => shardId[..shardId.LastIndexOf("-rank", StringComparison.Ordinal)];

    public string? EntityId(object message) => message is StartWorker start ? EntityIdOf(start.JobId, start.Rank) : null;

    public object? EntityMessage(object message) => message;

    public string? ShardId(object message) => EntityId(message);

    public string ShardId(string entityId, object? messageHint = null) => entityId;
}
