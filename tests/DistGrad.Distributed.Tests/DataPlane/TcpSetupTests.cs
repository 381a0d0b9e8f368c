using System.Net;
using DistGrad.Distributed.DataPlane;

namespace DistGrad.Distributed.Tests.DataPlane;

/// <summary>Building the TCP mesh: endpoints, handshake checks, refusals.</summary>
public class TcpSetupTests
{
    [Fact]
    public async Task Listening_on_port_zero_reports_the_port_the_system_chose()
    {
        await using var listener = TcpTransport.Listen(IPAddress.Loopback, 0);
        Assert.NotEqual(0, listener.LocalEndpoint.Port);
        Assert.Equal(IPAddress.Loopback, listener.LocalEndpoint.Address);
    }

    [Fact]
    public async Task A_worker_of_another_job_is_refused_with_the_reason()
    {
        var zero = TcpTransport.Listen(IPAddress.Loopback, 0);
        var one = TcpTransport.Listen(IPAddress.Loopback, 0);
        IPEndPoint[] endpoints = [zero.LocalEndpoint, one.LocalEndpoint];
        var accepting = zero.ConnectAsync(0, endpoints, "job-a", TimeSpan.FromSeconds(1));
        var connecting = one.ConnectAsync(1, endpoints, "job-b", TimeSpan.FromSeconds(1));

        var refused = await Assert.ThrowsAsync<TransportHandshakeException>(() => connecting);
        Assert.Contains("job id mismatch", refused.Message);
        Assert.Contains("'job-a'", refused.Message);
        Assert.Contains("'job-b'", refused.Message);

        var waited = await Assert.ThrowsAsync<TimeoutException>(() => accepting);
        Assert.Contains("rank 0 of job 'job-a'", waited.Message);
        Assert.Contains("rank(s) 1", waited.Message);
        Assert.Contains("job id mismatch", waited.Message);
    }

    [Fact]
    public async Task Workers_that_disagree_on_the_world_size_are_refused()
    {
        var zero = TcpTransport.Listen(IPAddress.Loopback, 0);
        var one = TcpTransport.Listen(IPAddress.Loopback, 0);
        var spare = TcpTransport.Listen(IPAddress.Loopback, 0);
        var accepting = zero.ConnectAsync(0, [zero.LocalEndpoint, one.LocalEndpoint], "job", TimeSpan.FromSeconds(1));
        var connecting = one.ConnectAsync(1, [zero.LocalEndpoint, one.LocalEndpoint, spare.LocalEndpoint], "job", TimeSpan.FromSeconds(1));

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => connecting);
        Assert.Contains("world size mismatch", refused.Message);
        await Assert.ThrowsAsync<TimeoutException>(() => accepting);
        await spare.DisposeAsync();
    }

    [Fact]
    public async Task A_missing_rank_makes_setup_time_out_naming_it()
    {
        var zero = TcpTransport.Listen(IPAddress.Loopback, 0);
        var absent = TcpTransport.Listen(IPAddress.Loopback, 0);
        var e = await Assert.ThrowsAsync<TimeoutException>(() =>
            zero.ConnectAsync(0, [zero.LocalEndpoint, absent.LocalEndpoint], "job", TimeSpan.FromMilliseconds(300)));
        Assert.Contains("rank(s) 1", e.Message);
        await absent.DisposeAsync();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public async Task Every_pair_of_ranks_is_connected(int worldSize)
    {
        var t = await TransportGroups.TcpLoopbackAsync(worldSize, TransportGroups.TestTimeout);
        var work = new List<Task>();
        for (int from = 0; from < worldSize; from++)
        {
            for (int to = 0; to < worldSize; to++)
            {
                if (from != to)
                {
                    byte[] expected = [(byte)from, (byte)to];
                    var got = new byte[2];
                    work.Add(t[from].SendAsync(to, 100, expected).AsTask());
                    work.Add(Check(t[to].ReceiveAsync(from, 100, got), expected, got));
                }
            }
        }

        await Task.WhenAll(work);
        Assert.All(t, (x, rank) => Assert.Equal(rank, x.Rank));
        await TransportGroups.DisposeAllAsync(t);

        static async Task Check(ValueTask receive, byte[] expected, byte[] got)
        {
            await receive;
            Assert.Equal(expected, got);
        }
    }
}
