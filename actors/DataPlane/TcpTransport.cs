using System.Net;
using System.Net.Sockets;

namespace DistGrad.Distributed.DataPlane;

/// <summary>
/// The data plane over TCP: one persistent connection per pair of workers in a job.
/// </summary>
/// <remarks>
/// Setup is two steps because the endpoints travel through the cluster in between: each worker calls
/// <see cref="Listen"/>, tells the coordinator its <see cref="TcpTransportListener.LocalEndpoint"/> (over Akka),
/// and once it knows every rank's endpoint calls <see cref="TcpTransportListener.ConnectAsync"/>.
/// Sends to one peer are serialized: a message's frames leave back to back, so frames of different
/// messages never interleave on a connection.
/// </remarks>
public sealed class TcpTransport : ITransport
{
    private readonly TcpPeerConnection?[] _peers;
    private int _disposed;

    internal TcpTransport(int rank, TcpPeerConnection?[] peers)
    {
        Rank = rank;
        _peers = peers;
    }

    /// <inheritdoc />
    public int Rank { get; }

    /// <inheritdoc />
    public int WorldSize => _peers.Length;

    /// <summary>Starts listening for this job's peers on <paramref name="bindAddress"/>; port 0 picks a free port.</summary>
    public static TcpTransportListener Listen(IPAddress bindAddress, int port = 0) => new(bindAddress, port);

    /// <inheritdoc />
    public ValueTask SendAsync(int peer, long tag, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default) =>
        Connection(peer).SendAsync(tag, payload, cancellationToken);

    /// <inheritdoc />
    public ValueTask ReceiveAsync(int peer, long tag, Memory<byte> destination, CancellationToken cancellationToken = default) =>
        Connection(peer).Inbox.ReceiveAsync(tag, destination, cancellationToken);

    /// <summary>Closes every connection; peers see this rank leave, and this rank's pending receives fail.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var peer in _peers)
        {
            if (peer is not null)
            {
                await peer.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private TcpPeerConnection Connection(int peer)
    {
        TransportErrors.CheckPeer(Rank, WorldSize, peer);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _peers[peer]!;
    }

    /// <summary>Low latency for small control-sized messages, large kernel buffers for bulk ones.</summary>
    internal static void Tune(Socket socket)
    {
        socket.NoDelay = true;
        socket.SendBufferSize = 4 << 20;
        socket.ReceiveBufferSize = 4 << 20;
    }
}
