using System.Net;
using DistGrad.Distributed.DataPlane;

namespace DistGrad.Distributed.Tests.DataPlane;

/// <summary>Builds connected transports for a whole job inside one test process.</summary>
public static class TransportGroups
{
    public static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(2);

    public enum Kind { InMemory, Tcp }

    public static async Task<ITransport[]> CreateAsync(Kind kind, int worldSize, TimeSpan? timeout = null)
    {
        var t = timeout ?? TestTimeout;
        return kind == Kind.InMemory
            ? [.. InMemoryTransport.CreateGroup(worldSize, t)]
            : await TcpLoopbackAsync(worldSize, t);
    }

    /// <summary>Every rank listens on an ephemeral loopback port, then all connect concurrently.</summary>
    public static async Task<ITransport[]> TcpLoopbackAsync(int worldSize, TimeSpan timeout, string jobId = "test-job")
    {
        var listeners = Enumerable.Range(0, worldSize).Select(_ => TcpTransport.Listen(IPAddress.Loopback, 0)).ToArray();
        var endpoints = listeners.Select(l => l.LocalEndpoint).ToArray();
        // A test's short deadline is for its sends and receives; connecting a loaded machine's sockets may take longer.
        var setup = TimeSpan.FromSeconds(10);
        var transports = await Task.WhenAll(listeners.Select((l, rank) => l.ConnectAsync(rank, endpoints, jobId, timeout, setupTimeout: Max(timeout, setup)).WaitAsync(setup + setup)));
        return transports;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    public static async Task DisposeAllAsync(IEnumerable<ITransport> transports)
    {
        foreach (var t in transports)
        {
            await t.DisposeAsync();
        }
    }
}
