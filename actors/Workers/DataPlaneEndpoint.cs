using System.Net;
using DistGrad.Distributed.DataPlane;

namespace DistGrad.Distributed.Workers;

/// <summary>
/// A worker's data-plane listener from the moment it starts (so it can tell the coordinator where it
/// listens) until its peers are connected and the transport takes over.
/// </summary>
public sealed class DataPlaneEndpoint : IDisposable
{
    private readonly TcpTransportListener _listener;

    private DataPlaneEndpoint(TcpTransportListener listener) => _listener = listener;

    /// <summary>The address peers connect to.</summary>
    public string Host => _listener.LocalEndpoint.Address.ToString();

    public int Port => _listener.LocalEndpoint.Port;

    /// <summary>Listens on a free port of <paramref name="address"/>.</summary>
    public static DataPlaneEndpoint Listen(IPAddress address) => new(TcpTransport.Listen(address, 0));

    /// <summary>Connects to every peer (their endpoints by rank) and returns the job's transport.</summary>
    public ITransport Connect(int rank, IReadOnlyList<string> hosts, IReadOnlyList<int> ports, string jobId, TimeSpan timeout)
    {
        var endpoints = hosts.Select((h, i) => new IPEndPoint(IPAddress.Parse(h), ports[i])).ToArray();
        return _listener.ConnectAsync(rank, endpoints, jobId, timeout).GetAwaiter().GetResult();
    }

    public void Dispose() => _listener.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
