using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using DistGrad.Distributed.DataPlane;
using DistGrad.Distributed.Security;

namespace DistGrad.Distributed.Tests.Security;

/// <summary>
/// The data plane against strangers: TLS with the cluster's CA, garbage and forged handshakes at the port, and a
/// frame that announces more than the job's cap.
/// </summary>
[Trait("Category", "Security")]
public class DataPlaneSecurityTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_mesh_over_mutual_TLS_carries_the_bytes_sent()
    {
        var options = new TcpTransportOptions { Tls = TestCertificates.ClusterNode() };
        var transports = await Mesh(3, options);
        try
        {
            var payload = Enumerable.Range(0, 3 << 20).Select(i => (byte)(i * 7)).ToArray();
            var received = new byte[payload.Length];
            await Task.WhenAll(transports[2].SendAsync(0, 5, payload).AsTask(), transports[0].ReceiveAsync(2, 5, received).AsTask());
            Assert.Equal(payload, received);
        }
        finally
        {
            await DisposeAll(transports);
        }
    }

    [Fact]
    public async Task A_worker_with_a_certificate_of_another_CA_is_refused_and_logged_and_the_mesh_still_forms()
    {
        var refusals = new ConcurrentQueue<string>();
        var cluster = new TcpTransportOptions { Tls = TestCertificates.ClusterNode(), LogRefusal = refusals.Enqueue };
        var zero = TcpTransport.Listen(IPAddress.Loopback, 0);
        var one = TcpTransport.Listen(IPAddress.Loopback, 0);
        var stranger = TcpTransport.Listen(IPAddress.Loopback, 0);
        IPEndPoint[] endpoints = [zero.LocalEndpoint, one.LocalEndpoint];
        var accepting = zero.ConnectAsync(0, endpoints, "job", Timeout, options: cluster);

        var refused = await Assert.ThrowsAsync<TransportHandshakeException>(() =>
            stranger.ConnectAsync(1, [zero.LocalEndpoint, stranger.LocalEndpoint], "job", Timeout, options: new TcpTransportOptions { Tls = TestCertificates.StrangerNode() }));
        Assert.Contains("could not open a secure connection to rank 0", refused.Message);
        await WaitFor(() => refusals.Any(r => r.Contains("CN=stranger", StringComparison.Ordinal)), "the stranger's refusal in rank 0's log");
        Assert.Contains(refusals, r => r.Contains("refused a connection from 127.0.0.1:", StringComparison.Ordinal) && r.Contains("not trusted", StringComparison.Ordinal));

        var member = await one.ConnectAsync(1, endpoints, "job", Timeout, options: cluster);
        var transport = await accepting;
        await AssertConnected(transport, member);
    }

    [Fact]
    public async Task A_plain_connection_to_a_TLS_port_is_refused_and_logged()
    {
        var refusals = new ConcurrentQueue<string>();
        var cluster = new TcpTransportOptions { Tls = TestCertificates.ClusterNode(), LogRefusal = refusals.Enqueue };
        var zero = TcpTransport.Listen(IPAddress.Loopback, 0);
        var one = TcpTransport.Listen(IPAddress.Loopback, 0);
        IPEndPoint[] endpoints = [zero.LocalEndpoint, one.LocalEndpoint];
        var accepting = zero.ConnectAsync(0, endpoints, "job", Timeout, options: cluster);

        // A worker of the same job that runs --insecure speaks the plain handshake; it never reaches the job.
        await Assert.ThrowsAnyAsync<IOException>(() => one.ConnectAsync(1, endpoints, "job", TimeSpan.FromSeconds(3), options: TcpTransportOptions.Plain));
        await WaitFor(() => !refusals.IsEmpty, "the plain connection's refusal");
        Assert.Contains("TLS handshake failed", refusals.First());
        Assert.False(accepting.IsCompleted);
    }

    [Fact]
    public async Task A_thousand_random_and_forged_handshakes_are_refused_one_by_one_and_the_job_connects_unaffected()
    {
        var refusals = new ConcurrentQueue<string>();
        var options = new TcpTransportOptions { LogRefusal = refusals.Enqueue, MaxMessageBytes = 1 << 20 };
        var zero = TcpTransport.Listen(IPAddress.Loopback, 0);
        var one = TcpTransport.Listen(IPAddress.Loopback, 0);
        IPEndPoint[] endpoints = [zero.LocalEndpoint, one.LocalEndpoint];
        var accepting = zero.ConnectAsync(0, endpoints, "job", TimeSpan.FromSeconds(60), options: options);
        var random = new Random(17);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        const int Attempts = 1000;
        for (var i = 0; i < Attempts; i++)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(zero.LocalEndpoint);
            await socket.SendAsync(Garbage(random, i));
            socket.Shutdown(SocketShutdown.Send);
        }

        await WaitFor(() => refusals.Count >= Attempts, $"{Attempts} refusals (got {refusals.Count})");
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        // Every kind of garbage is named: a foreign protocol, a length out of range, a wrong job, a cut-off handshake.
        Assert.Contains(refusals, r => r.Contains("does not speak the DistGrad data-plane protocol", StringComparison.Ordinal));
        Assert.Contains(refusals, r => r.Contains("out of range", StringComparison.Ordinal));
        Assert.Contains(refusals, r => r.Contains("job id mismatch", StringComparison.Ordinal));
        Assert.Contains(refusals, r => r.Contains("before finishing the handshake", StringComparison.Ordinal));
        Assert.All(refusals, r => Assert.Contains("from 127.0.0.1:", r));
        // Nothing sized by what the garbage announced (lengths up to 2 GiB) was allocated: 1000 connections' own state only.
        Assert.True(allocated < 512L << 20, $"{allocated} bytes allocated while refusing garbage");
        Assert.False(accepting.IsCompleted);

        var member = await one.ConnectAsync(1, endpoints, "job", Timeout, options: options);
        await AssertConnected(await accepting, member);
    }

    [Fact]
    public async Task A_frame_announcing_more_than_the_cap_drops_the_connection_before_a_buffer_is_rented()
    {
        const int Cap = 1 << 20;
        var zero = TcpTransport.Listen(IPAddress.Loopback, 0);
        var accepting = zero.ConnectAsync(0, [zero.LocalEndpoint, new IPEndPoint(IPAddress.Loopback, 9)], "job", Timeout, options: new TcpTransportOptions { MaxMessageBytes = Cap });
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await peer.ConnectAsync(zero.LocalEndpoint);
        await peer.SendAsync(Hello(worldSize: 2, from: 1, to: 0, "job"));
        var reply = new byte[5];
        await peer.ReceiveAsync(reply);
        Assert.Equal(1, reply[0]);
        var transport = await accepting;
        try
        {
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var header = new byte[16];
            BinaryPrimitives.WriteInt64LittleEndian(header, 3);
            BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(8), int.MaxValue - 64);
            BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(12), 1024);
            await peer.SendAsync(header);
            var e = await Assert.ThrowsAsync<IOException>(() => transport.ReceiveAsync(1, 3, new byte[8]).AsTask());
            Assert.Contains($"over this job's cap of {Cap} bytes", e.Message);
            Assert.Contains("rank 1", e.Message);
            Assert.True(GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore < 64L << 20, "a buffer the size the frame announced was allocated");
        }
        finally
        {
            await transport.DisposeAsync();
        }
    }

    /// <summary>Connection <paramref name="i"/>'s bytes: in turn random, a valid magic with a wild length, a hello of another job, and a hello cut short.</summary>
    private static byte[] Garbage(Random random, int i)
    {
        switch (i % 4)
        {
            case 0:
                var bytes = new byte[random.Next(1, 256)];
                random.NextBytes(bytes);
                return bytes;
            case 1:
                var forged = Hello(2, 1, 0, "job");
                BinaryPrimitives.WriteInt32LittleEndian(forged.AsSpan(16), random.Next(1025, int.MaxValue));
                return forged;
            case 2:
                return Hello(2, 1, 0, "other-job-" + i);
            default:
                var hello = Hello(2, 1, 0, "job");
                return hello[..random.Next(1, hello.Length - 1)];
        }
    }

    private static byte[] Hello(int worldSize, int from, int to, string job)
    {
        var name = Encoding.UTF8.GetBytes(job);
        var hello = new byte[20 + name.Length];
        BinaryPrimitives.WriteInt32LittleEndian(hello, 0x31544744);
        BinaryPrimitives.WriteInt32LittleEndian(hello.AsSpan(4), worldSize);
        BinaryPrimitives.WriteInt32LittleEndian(hello.AsSpan(8), from);
        BinaryPrimitives.WriteInt32LittleEndian(hello.AsSpan(12), to);
        BinaryPrimitives.WriteInt32LittleEndian(hello.AsSpan(16), name.Length);
        name.CopyTo(hello.AsSpan(20));
        return hello;
    }

    private static async Task<ITransport[]> Mesh(int worldSize, TcpTransportOptions options)
    {
        var listeners = Enumerable.Range(0, worldSize).Select(_ => TcpTransport.Listen(IPAddress.Loopback, 0)).ToArray();
        var endpoints = listeners.Select(l => l.LocalEndpoint).ToArray();
        return await Task.WhenAll(listeners.Select((l, rank) => l.ConnectAsync(rank, endpoints, "job", Timeout, options: options)));
    }

    private static async Task AssertConnected(ITransport zero, ITransport one)
    {
        try
        {
            var received = new byte[4];
            await Task.WhenAll(one.SendAsync(0, 1, new byte[] { 1, 2, 3, 4 }).AsTask(), zero.ReceiveAsync(1, 1, received).AsTask());
            Assert.Equal(new byte[] { 1, 2, 3, 4 }, received);
        }
        finally
        {
            await DisposeAll([zero, one]);
        }
    }

    private static async Task DisposeAll(IEnumerable<ITransport> transports)
    {
        foreach (var t in transports)
        {
            await t.DisposeAsync();
        }
    }

    private static async Task WaitFor(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }
}
