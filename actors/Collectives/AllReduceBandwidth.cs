using System.Diagnostics;
using System.Net;
using DistGrad.Distributed.DataPlane;

namespace DistGrad.Distributed.Collectives;

/// <summary>One all-reduce bandwidth measurement, in the units NCCL's and gloo's benchmarks report.</summary>
/// <param name="Bytes">Buffer size per member.</param>
/// <param name="WorldSize">Members in the group.</param>
/// <param name="Median">Median wall time of one all-reduce on the measuring member.</param>
public readonly record struct AllReduceBandwidthSample(long Bytes, int WorldSize, TimeSpan Median)
{
    /// <summary>Algorithm bandwidth: buffer bytes per second, in GB/s (10⁹ bytes).</summary>
    public double AlgorithmGBps => Bytes / Median.TotalSeconds / 1e9;

    /// <summary>Bus bandwidth, algbw × 2(n−1)/n: what each link carried, comparable across group sizes.</summary>
    public double BusGBps => AlgorithmGBps * 2 * (WorldSize - 1) / WorldSize;

    /// <inheritdoc />
    public override string ToString() =>
        $"all-reduce {Bytes / (1 << 20)} MiB float32, {WorldSize} ranks: median {Median.TotalMilliseconds:0.0} ms, algbw {AlgorithmGBps:0.000} GB/s, busbw {BusGBps:0.000} GB/s";
}

/// <summary>
/// Measures float32 all-reduce bandwidth, from a benchmark or a node: either every member calls
/// <see cref="MeasureAsync"/> with its own communicator at the same time, or <see cref="MeasureLoopbackAsync"/>
/// runs a whole group on loopback TCP inside this process.
/// </summary>
public static class AllReduceBandwidth
{
    /// <summary>
    /// Times <paramref name="iterations"/> all-reduces of <paramref name="bytes"/> bytes after <paramref name="warmups"/>
    /// untimed ones; a barrier before each timed run lines the members up. All members must call it together.
    /// </summary>
    public static async Task<AllReduceBandwidthSample> MeasureAsync(Communicator communicator, long bytes, int warmups = 3, int iterations = 10, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(communicator);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        var data = new float[checked((int)(bytes / sizeof(float)))];

        // Zeros stay zeros however often they are summed, so no run ever meets infinities or denormals.
        for (int i = 0; i < warmups; i++)
        {
            await communicator.AllReduceSumAsync(data, cancellationToken).ConfigureAwait(false);
        }

        var times = new double[iterations];
        for (int i = 0; i < iterations; i++)
        {
            await communicator.BarrierAsync(cancellationToken).ConfigureAwait(false);
            long start = Stopwatch.GetTimestamp();
            await communicator.AllReduceSumAsync(data, cancellationToken).ConfigureAwait(false);
            times[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }

        Array.Sort(times);
        double median = iterations % 2 == 1 ? times[iterations / 2] : (times[(iterations / 2) - 1] + times[iterations / 2]) / 2;
        return new AllReduceBandwidthSample(data.Length * (long)sizeof(float), communicator.Group.Count, TimeSpan.FromSeconds(median));
    }

    /// <summary>
    /// Connects <paramref name="worldSize"/> ranks over loopback TCP in this process and measures each buffer
    /// size in turn; returns rank 0's measurements. <paramref name="options"/> chooses plain TCP (null) or mutual TLS.
    /// </summary>
    public static async Task<IReadOnlyList<AllReduceBandwidthSample>> MeasureLoopbackAsync(
        int worldSize, IReadOnlyList<long> bytes, int warmups = 3, int iterations = 10, TimeSpan? timeout = null, TcpTransportOptions? options = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(60);
        var listeners = Enumerable.Range(0, worldSize).Select(_ => TcpTransport.Listen(IPAddress.Loopback, 0)).ToArray();
        var endpoints = listeners.Select(l => l.LocalEndpoint).ToArray();
        string job = $"bandwidth-{Guid.NewGuid():N}";
        var transports = await Task.WhenAll(listeners.Select((l, rank) => l.ConnectAsync(rank, endpoints, job, limit, options: options))).ConfigureAwait(false);
        try
        {
            var group = Enumerable.Range(0, worldSize).ToArray();
            var communicators = transports.Select(t => new Communicator(t, group, limit)).ToArray();
            var samples = new List<AllReduceBandwidthSample>();
            foreach (long size in bytes)
            {
                var perRank = await Task.WhenAll(communicators.Select(c => Task.Run(() => MeasureAsync(c, size, warmups, iterations)))).ConfigureAwait(false);
                samples.Add(perRank[0]);
            }

            return samples;
        }
        finally
        {
            foreach (var t in transports)
            {
                await t.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
