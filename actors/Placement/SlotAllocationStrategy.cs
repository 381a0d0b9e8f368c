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
/// worker holds a replica's live state, and a move is a recovery, which the coordinator runs. Rebalancing only
/// drops the shards of finished attempts.
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

    /// <summary>The start of the reason a shard of a finished attempt gets no new home (the log leaves these out too).</summary>
    public const string DroppedMessage = "the shard of a finished attempt was dropped";

    public Task<IActorRef> AllocateShard(IActorRef requester, string shardId, IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations)
    {
        lock (_gate)
        {
            if (_dropped.ContainsKey(shardId))
            {
                return Task.FromException<IActorRef>(new InvalidOperationException($"{DroppedMessage}: {shardId}"));
            }
        }

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

    /// <summary>
    /// Hands off only the shards of finished attempts: a worker entity passivates when its worker stops, but its shard
    /// stays allocated (one per rank and attempt, so a long run with recoveries would pile them up in the shard
    /// coordinator). A shard is dropped once it has held no entity at two rebalance rounds in a row, so a shard that
    /// was just allocated and is still starting its worker is never taken.
    /// </summary>
    public async Task<IImmutableSet<string>> Rebalance(IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations, IImmutableSet<string> rebalanceInProgress)
    {
        ArgumentNullException.ThrowIfNull(currentShardAllocations);
        ArgumentNullException.ThrowIfNull(rebalanceInProgress);
        var empty = await EmptyShards(currentShardAllocations).ConfigureAwait(false);
        lock (_gate)
        {
            _round++;
            // The shard coordinator asks for a new home of each shard it handed off, at once (a rebalance moves shards);
            // AllocateShard refuses those, and a few rounds later nothing asks for them any more.
            var allocated = currentShardAllocations.SelectMany(a => a.Value).ToHashSet(StringComparer.Ordinal);
            foreach (var forgotten in _dropped.Where(d => d.Value < _round - 2 && !allocated.Contains(d.Key)).Select(d => d.Key).ToList())
            {
                _dropped.Remove(forgotten);
            }

            var finished = empty.Where(s => _emptyAtLastRound.Contains(s) && !rebalanceInProgress.Contains(s)).ToImmutableHashSet(StringComparer.Ordinal);
            foreach (var shard in finished)
            {
                _dropped[shard] = _round;
            }

            _emptyAtLastRound.Clear();
            _emptyAtLastRound.UnionWith(empty);
            return finished;
        }
    }

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

    /// <summary>How long a region has to say which of its shards hold entities; one that does not answer keeps its shards.</summary>
    public static readonly TimeSpan RegionStateTimeout = TimeSpan.FromSeconds(3);

    private readonly Lock _gate = new();
    private readonly HashSet<string> _emptyAtLastRound = new(StringComparer.Ordinal);

    /// <summary>Shards of finished attempts that were handed off, with the rebalance round that did it.</summary>
    private readonly Dictionary<string, int> _dropped = new(StringComparer.Ordinal);
    private int _round;

    /// <summary>The allocated shards that their region reports with no entity (or does not run: not started yet, or stopped).</summary>
    private static async Task<HashSet<string>> EmptyShards(IImmutableDictionary<IActorRef, IImmutableList<string>> allocations)
    {
        var empty = new HashSet<string>(StringComparer.Ordinal);
        var queries = allocations.Where(a => a.Value.Count > 0).Select(async a =>
        {
            try
            {
                var state = await a.Key.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, RegionStateTimeout).ConfigureAwait(false);
                var live = state.Shards.Where(s => s.EntityIds.Count > 0).Select(s => s.ShardId).ToHashSet(StringComparer.Ordinal);
                return a.Value.Where(s => !live.Contains(s)).ToList();
            }
            catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
            {
                // An unreachable or busy region: its shards are looked at again next round.
                return [];
            }
        });
        foreach (var shards in await Task.WhenAll(queries).ConfigureAwait(false))
        {
            empty.UnionWith(shards);
        }

        return empty;
    }

    private static Member? MemberOf(IActorRef region, Cluster cluster)
    {
        var address = region.Path.Address.HasGlobalScope ? region.Path.Address : cluster.SelfAddress;
        return cluster.State.Members.FirstOrDefault(m => m.Address.Equals(address));
    }
}
