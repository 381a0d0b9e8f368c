using System.Collections.Immutable;
using System.Globalization;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;

namespace DistGrad.Distributed.Placement;

/// <summary>
/// Places each worker entity on a node with a free slot: among the shard regions of reachable, Up members
/// that advertise slots (role <c>slots-N</c>), the one with the fewest workers of the same job attempt,
/// nodes ordered by address so placement repeats. Running workers are never moved (no rebalancing): a
/// worker holds a replica's live state, and a move is a recovery, which the coordinator runs.
/// </summary>
/// <remarks>
/// When no node has a free slot, allocation fails and Cluster Sharding asks again on its retry interval,
/// so the worker starts as soon as a node with capacity joins (or a lost one's slots are free again).
/// </remarks>
public sealed class SlotAllocationStrategy(ActorSystem system) : IShardAllocationStrategy
{
    public const string SlotsRolePrefix = "slots-";

    /// <summary>The start of the reason an allocation fails for want of a slot (the log leaves these out).</summary>
    public const string NoSlotMessage = "no node has a free worker slot";

    public Task<IActorRef> AllocateShard(IActorRef requester, string shardId, IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations)
    {
        var cluster = Cluster.Get(system);
        var state = cluster.State;
        var job = WorkerMessageExtractor.JobOf(shardId);
        var candidates = currentShardAllocations
            .Select(r => (Region: r.Key, Member: MemberOf(r.Key, cluster), Load: r.Value.Count(s => WorkerMessageExtractor.JobOf(s) == job)))
            .Where(c => c.Member != null && c.Member.Status == MemberStatus.Up && !state.Unreachable.Contains(c.Member))
            .Select(c => (c.Region, c.Member!.Address, c.Load, Slots: SlotsOf(c.Member)))
            .Where(c => c.Load < c.Slots)
            .OrderBy(c => c.Load)
            .ThenBy(c => c.Address.ToString(), StringComparer.Ordinal)
            .ToArray();
        return candidates.Length > 0
            ? Task.FromResult(candidates[0].Region)
            : Task.FromException<IActorRef>(new InvalidOperationException($"{NoSlotMessage} for {shardId}; waiting for capacity"));
    }

    public Task<IImmutableSet<string>> Rebalance(IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations, IImmutableSet<string> rebalanceInProgress) =>
        Task.FromResult<IImmutableSet<string>>(ImmutableHashSet<string>.Empty);

    /// <summary>The worker slots a member advertises in its roles (0 for the coordinator's node).</summary>
    public static int SlotsOf(Member member)
    {
        foreach (var role in member.Roles)
        {
            if (role.StartsWith(SlotsRolePrefix, StringComparison.Ordinal) &&
                int.TryParse(role.AsSpan(SlotsRolePrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var slots))
            {
                return slots;
            }
        }

        return 0;
    }

    private static Member? MemberOf(IActorRef region, Cluster cluster)
    {
        var address = region.Path.Address.HasGlobalScope ? region.Path.Address : cluster.SelfAddress;
        return cluster.State.Members.FirstOrDefault(m => m.Address.Equals(address));
    }
}
