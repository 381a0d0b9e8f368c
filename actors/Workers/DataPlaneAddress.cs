using System.Net;
using DistGrad.Distributed.Formation;

namespace DistGrad.Distributed.Workers;

/// <summary>
/// Where a node's workers listen for tensors (<see cref="Bind"/>, on a port of <see cref="Ports"/>) and the
/// address they tell their peers (<see cref="Advertised"/>): they differ in containers, where the listener binds
/// every interface and peers dial the pod's IP.
/// </summary>
public sealed record DataPlaneAddress(IPAddress Bind, IPAddress Advertised, PortRange Ports)
{
    /// <summary>Loopback on any free port: the embedded cluster, and nodes that host no workers.</summary>
    public static DataPlaneAddress Loopback { get; } = new(IPAddress.Loopback, IPAddress.Loopback, PortRange.Any);

    /// <summary>The data plane of a node placed as <paramref name="network"/> says, its hostnames resolved once here.</summary>
    public static DataPlaneAddress Of(NodeNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var advertised = HostAddress.Resolve(network.Hostname, "--hostname");
        var bind = network.BindHostname is { } bindHostname ? HostAddress.Resolve(bindHostname, "--bind-hostname") : advertised;
        if (advertised.Equals(IPAddress.Any) || advertised.Equals(IPAddress.IPv6Any))
        {
            throw new ArgumentException($"--hostname {network.Hostname} is not an address peers can dial; give it this node's own address and --bind-hostname {network.Hostname}");
        }

        return new DataPlaneAddress(bind, advertised, network.DataPorts);
    }

    public override string ToString() =>
        Bind.Equals(Advertised) ? $"{Advertised}:{Ports}" : $"{Advertised}:{Ports} (listening on {Bind})";
}
