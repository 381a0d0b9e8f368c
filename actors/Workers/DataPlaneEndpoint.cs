using System.Net;
using System.Net.Sockets;
using DistGrad.Distributed.DataPlane;

namespace DistGrad.Distributed.Workers;

/// <summary>
/// A worker's data-plane listener from the moment it starts (so it can tell the coordinator where it
/// listens) until its peers are connected and the transport takes over.
/// </summary>
public sealed class DataPlaneEndpoint : IDisposable
{
    private readonly TcpTransportListener _listener;

    private DataPlaneEndpoint(TcpTransportListener listener, IPAddress advertised)
    {
        _listener = listener;
        Host = advertised.ToString();
    }

    /// <summary>The address peers connect to (the advertised one, not necessarily the one bound).</summary>
    public string Host { get; }

    public int Port => _listener.LocalEndpoint.Port;

    /// <summary>Listens on the first free port of <paramref name="address"/>'s range.</summary>
    public static DataPlaneEndpoint Listen(DataPlaneAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        foreach (var port in address.Ports.Ports)
        {
            try
            {
                return new(TcpTransport.Listen(address.Bind, port), address.Advertised);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse && !address.Ports.IsAny)
            {
                // Taken by another worker of this node or another program: try the next port of the range.
            }
        }

        throw new IOException($"no free data-plane port in {address.Ports} on {address.Bind} (each worker of a node takes one: widen --data-port)");
    }

    /// <summary>
    /// Null when peers can plausibly dial the advertised address: it is one of this host's own, or (behind NAT) it
    /// answers from here. Otherwise what is wrong, so a wrong --hostname fails the job at start, naming the address,
    /// instead of as a peer's connect timeout.
    /// </summary>
    public string? ReachabilityProblem(TimeSpan timeout)
    {
        var advertised = IPAddress.Parse(Host);
        if (IPAddress.IsLoopback(advertised) || IsOwnAddress(advertised))
        {
            return null;
        }

        using var probe = new Socket(advertised.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            using var deadline = new CancellationTokenSource(timeout);
            probe.ConnectAsync(new IPEndPoint(advertised, Port), deadline.Token).AsTask().GetAwaiter().GetResult();
            return null;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            var why = e is SocketException s ? s.Message : $"no answer within {timeout.TotalSeconds:0.#} s";
            return $"it advertises its tensor transport at {Host}:{Port}, an address this host does not have and cannot reach ({why}); give --hostname an address the other nodes reach this one at";
        }
    }

    private static bool IsOwnAddress(IPAddress address) =>
        System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Any(a => a.Address.Equals(address));

    /// <summary>Connects to every peer (their endpoints by rank) and returns the job's transport.</summary>
    public ITransport Connect(int rank, IReadOnlyList<string> hosts, IReadOnlyList<int> ports, string jobId, TimeSpan timeout, TcpTransportOptions options)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        ArgumentNullException.ThrowIfNull(ports);
        var endpoints = hosts.Select((h, i) => new IPEndPoint(IPAddress.Parse(h), ports[i])).ToArray();
        return _listener.ConnectAsync(rank, endpoints, jobId, timeout, options: options).GetAwaiter().GetResult();
    }

    public void Dispose() => _listener.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
