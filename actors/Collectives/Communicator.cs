using DistGrad.Distributed.DataPlane;

namespace DistGrad.Distributed.Collectives;

/// <summary>
/// Collective operations (all-reduce, broadcast, barrier) among a group of ranks over an <see cref="ITransport"/>.
/// </summary>
/// <remarks>
/// <para><b>Ordering contract.</b> Every member of the group must call the same collectives, with the same
/// buffer lengths and arguments, in the same order, one at a time. Each call takes the next number of an
/// internal sequence and tags its messages with it, which is what keeps consecutive collectives (and
/// communicators on other <c>channel</c>s of the same transport) from ever mixing their messages.</para>
/// <para><b>Failure.</b> A call fails, never hangs: a dead or silent peer surfaces as the transport's
/// <see cref="IOException"/> or a <see cref="TimeoutException"/> naming the peer and tag awaited. After a
/// failure the communicator should be dropped with the rest of the step.</para>
/// <para><b>Determinism.</b> Results depend only on the inputs and the group order, never on timing, and all
/// members receive bit-identical results.</para>
/// </remarks>
public sealed class Communicator
{
    private long _sequence = -1;
    private long _bytesSent;
    private long _bytesReceived;

    /// <param name="transport">The job's data plane.</param>
    /// <param name="group">The members' ranks in ring order (for example the data-parallel group); must include this rank.</param>
    /// <param name="timeout">The longest one collective may take (<see cref="Timeout.InfiniteTimeSpan"/> leaves it to the transport).</param>
    /// <param name="channel">0–255; communicators that share a transport and overlap in members need different channels.</param>
    public Communicator(ITransport transport, IReadOnlyList<int> group, TimeSpan timeout, int channel = 0)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(group);
        ArgumentOutOfRangeException.ThrowIfNegative(channel);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(channel, CollectiveTags.MaxChannel);
        if (group.Any(r => r < 0 || r >= transport.WorldSize) || group.Distinct().Count() != group.Count)
        {
            throw new ArgumentException($"group [{string.Join(", ", group)}] must list distinct ranks of a world of {transport.WorldSize}", nameof(group));
        }

        Position = group.ToList().IndexOf(transport.Rank);
        if (Position < 0)
        {
            throw new ArgumentException($"group [{string.Join(", ", group)}] does not contain this rank {transport.Rank}", nameof(group));
        }

        Transport = transport;
        Group = group.ToArray();
        Timeout = timeout;
        Channel = channel;
    }

    /// <summary>The transport the messages travel on.</summary>
    public ITransport Transport { get; }

    /// <summary>The members' ranks, in ring order.</summary>
    public IReadOnlyList<int> Group { get; }

    /// <summary>This rank's index in <see cref="Group"/>.</summary>
    public int Position { get; }

    /// <summary>The longest one collective may take.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>Which tag space this communicator uses on its transport.</summary>
    public int Channel { get; }

    /// <summary>Payload bytes this communicator has sent, over its lifetime.</summary>
    public long BytesSent => Interlocked.Read(ref _bytesSent);

    /// <summary>Payload bytes this communicator has received, over its lifetime.</summary>
    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    /// <summary>Replaces <paramref name="data"/> on every member with the element-wise sum over the group (ring all-reduce).</summary>
    public Task AllReduceSumAsync(Memory<float> data, CancellationToken cancellationToken = default) =>
        RunAsync("AllReduceSum", cancellationToken, call => RingAllReduce.RunAsync(call, data));

    /// <inheritdoc cref="AllReduceSumAsync(Memory{float}, CancellationToken)"/>
    public Task AllReduceSumAsync(Memory<double> data, CancellationToken cancellationToken = default) =>
        RunAsync("AllReduceSum", cancellationToken, call => RingAllReduce.RunAsync(call, data));

    /// <summary>Combines one value from every member; all members get the same result (reduced in group order).</summary>
    public Task<double> AllReduceScalarAsync(double value, ReduceOp op, CancellationToken cancellationToken = default) =>
        RunAsync("AllReduceScalar", cancellationToken, call => ScalarAllReduce.RunAsync(call, value, op));

    /// <summary>Copies <paramref name="data"/> from <paramref name="rootRank"/> (a rank, not a position) to every member, pipelined along the group.</summary>
    public Task BroadcastAsync(Memory<float> data, int rootRank, CancellationToken cancellationToken = default)
    {
        int root = RootPosition(rootRank);
        return RunAsync("Broadcast", cancellationToken, call => ChainBroadcast.RunAsync(call, data, root));
    }

    /// <inheritdoc cref="BroadcastAsync(Memory{float}, int, CancellationToken)"/>
    public Task BroadcastAsync(Memory<double> data, int rootRank, CancellationToken cancellationToken = default)
    {
        int root = RootPosition(rootRank);
        return RunAsync("Broadcast", cancellationToken, call => ChainBroadcast.RunAsync(call, data, root));
    }

    /// <summary>Returns once every member has entered the barrier.</summary>
    public Task BarrierAsync(CancellationToken cancellationToken = default) =>
        RunAsync("Barrier", cancellationToken, call => ScalarAllReduce.RunAsync(call, 0, ReduceOp.Sum));

    internal void CountSent(int bytes) => Interlocked.Add(ref _bytesSent, bytes);

    internal void CountReceived(int bytes) => Interlocked.Add(ref _bytesReceived, bytes);

    private int RootPosition(int rootRank)
    {
        for (int i = 0; i < Group.Count; i++)
        {
            if (Group[i] == rootRank)
            {
                return i;
            }
        }

        throw new ArgumentException($"root rank {rootRank} is not in group [{string.Join(", ", Group)}]", nameof(rootRank));
    }

    private async Task<TResult> RunAsync<TResult>(string operation, CancellationToken cancellationToken, Func<CollectiveCall, Task<TResult>> body)
    {
        using var call = new CollectiveCall(this, operation, Interlocked.Increment(ref _sequence), cancellationToken);
        return await body(call).ConfigureAwait(false);
    }

    private async Task RunAsync(string operation, CancellationToken cancellationToken, Func<CollectiveCall, Task> body)
    {
        using var call = new CollectiveCall(this, operation, Interlocked.Increment(ref _sequence), cancellationToken);
        await body(call).ConfigureAwait(false);
    }
}
