using System.Net.Sockets;

namespace DistGrad.Distributed.DataPlane;

/// <summary>A connection that passed its handshake: the socket, and the stream (plain or TLS) its frames travel on.</summary>
internal sealed record PeerLink(Socket Socket, Stream Stream) : IDisposable
{
    public void Dispose()
    {
        Stream.Dispose();
        Socket.Dispose();
    }
}
