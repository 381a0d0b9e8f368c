using System.Net;
using System.Net.Sockets;
using DistGrad.Distributed.Downing;

namespace DistGrad.Distributed.Tests.Downing;

/// <summary>Only "connection refused" counts as a gone process; a live listener is never taken for dead.</summary>
public class PortProbeTests
{
    [Fact]
    public async Task A_port_with_a_listener_is_not_refused()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        Assert.False(await PortProbe.RefusedAsync("127.0.0.1", port, TimeSpan.FromSeconds(2)));
        Assert.False(await PortProbe.RefusedAsync("localhost", port, TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public async Task A_port_whose_listener_stopped_is_refused()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        Assert.True(await PortProbe.RefusedAsync("127.0.0.1", port, TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public async Task A_host_name_that_does_not_resolve_proves_nothing()
    {
        Assert.False(await PortProbe.RefusedAsync("no-such-host.invalid", 2552, TimeSpan.FromSeconds(2)));
    }
}
