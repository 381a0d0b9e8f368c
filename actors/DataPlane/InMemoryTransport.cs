namespace DistGrad.Distributed.DataPlane;

/// <summary>
/// A transport whose peers live in the same process: a send copies the payload straight into the
/// receiver's memory when its receive is posted, or into a buffer that waits for it. Made for unit tests
/// of everything above the transport; it keeps the TCP transport's semantics (matching by sender and tag,
/// length checks, timeouts, failure of a disposed peer).
/// </summary>
public sealed class InMemoryTransport : ITransport
{
    private readonly InMemoryTransport[] _group;
    private readonly PeerInbox?[] _inboxes;
    private volatile bool _disposed;

    private InMemoryTransport(int rank, InMemoryTransport[] group, TimeSpan timeout)
    {
        Rank = rank;
        _group = group;
        _inboxes = new PeerInbox?[group.Length];
        for (int peer = 0; peer < group.Length; peer++)
        {
            _inboxes[peer] = peer == rank ? null : new PeerInbox(rank, peer, timeout);
        }
    }

    /// <inheritdoc />
    public int Rank { get; }

    /// <inheritdoc />
    public int WorldSize => _group.Length;

    /// <summary>Creates one connected transport per rank; a receive waits at most <paramref name="timeout"/>.</summary>
    public static IReadOnlyList<ITransport> CreateGroup(int worldSize, TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(worldSize, 1);
        var group = new InMemoryTransport[worldSize];
        for (int rank = 0; rank < worldSize; rank++)
        {
            group[rank] = new InMemoryTransport(rank, group, timeout);
        }

        return group;
    }

    /// <inheritdoc />
    public ValueTask SendAsync(int peer, long tag, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        TransportErrors.CheckPeer(Rank, WorldSize, peer);
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        var receiver = _group[peer];
        if (receiver._disposed)
        {
            throw TransportErrors.SendFailed(Rank, peer, tag, new IOException($"rank {peer} is closed"));
        }

        receiver._inboxes[Rank]!.Deliver(tag, payload.Span);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask ReceiveAsync(int peer, long tag, Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        TransportErrors.CheckPeer(Rank, WorldSize, peer);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _inboxes[peer]!.ReceiveAsync(tag, destination, cancellationToken);
    }

    /// <summary>
    /// Closes this rank: its own pending receives fail, and every peer's pending and later receives from this
    /// rank fail with an <see cref="IOException"/> that names it.
    /// </summary>
    public ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return ValueTask.CompletedTask;
        }

        _disposed = true;
        var gone = new IOException($"rank {Rank} closed its transport");
        foreach (var other in _group)
        {
            other._inboxes[Rank]?.Close(gone);
        }

        var self = new ObjectDisposedException(nameof(InMemoryTransport), $"rank {Rank}'s transport was disposed");
        foreach (var inbox in _inboxes)
        {
            inbox?.Close(self);
            inbox?.ReleaseArrived();
        }

        return ValueTask.CompletedTask;
    }
}
