namespace DistGrad.Distributed.DataPlane;

/// <summary>
/// Moves bulk bytes (gradient buckets, activations) between the workers of one job, peer to peer.
/// Akka carries only control messages; every tensor payload goes through a transport.
/// </summary>
/// <remarks>
/// A message is identified by (sender rank, tag). A receive names the peer and the tag it expects and the
/// exact number of bytes; a message that arrives before its receive is posted waits in the transport.
/// Operations fail (never hang) when the peer disconnects or the transport's timeout passes, with an
/// exception that names the peer rank and the tag that was awaited.
/// </remarks>
public interface ITransport : IAsyncDisposable
{
    /// <summary>This worker's rank in the job (0-based).</summary>
    int Rank { get; }

    /// <summary>How many workers the job has.</summary>
    int WorldSize { get; }

    /// <summary>Sends <paramref name="payload"/> to <paramref name="peer"/> under <paramref name="tag"/>.</summary>
    ValueTask SendAsync(int peer, long tag, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default);

    /// <summary>Receives exactly <c>destination.Length</c> bytes sent by <paramref name="peer"/> under <paramref name="tag"/>.</summary>
    ValueTask ReceiveAsync(int peer, long tag, Memory<byte> destination, CancellationToken cancellationToken = default);
}
