using System.Diagnostics;
using System.Globalization;
using System.Net;
using DistGrad.Actors.Collectives;
using DistGrad.Actors.DataPlane;

namespace DistGrad.Benchmarks.Distributed;

/// <summary>
/// Ring all-reduce bus bandwidth between ranks on loopback TCP (the data plane the workers use), each rank
/// on its own thread, printed as bench/reference/allreduce_gloo.py prints gloo's.
/// </summary>
internal static class AllReduceBandwidth
{
    public static async Task RunAsync(int world, IReadOnlyList<int> sizesMib, int reps)
    {
        var listeners = Enumerable.Range(0, world).Select(_ => TcpTransport.Listen(IPAddress.Loopback, 0)).ToArray();
        var endpoints = listeners.Select(l => l.LocalEndpoint).ToArray();
        var timeout = TimeSpan.FromSeconds(60);
        var transports = await Task.WhenAll(listeners.Select((l, rank) => l.ConnectAsync(rank, endpoints, "bench", timeout))).ConfigureAwait(false);
        var group = Enumerable.Range(0, world).ToArray();
        var communicators = transports.Select(t => new Communicator(t, group, timeout)).ToArray();
        foreach (var mib in sizesMib)
        {
            var buffers = communicators.Select(_ => new float[mib * 1024 * 1024 / sizeof(float)]).ToArray();
            var times = new List<double>();
            for (var r = 0; r < reps + 2; r++)
            {
                await Task.WhenAll(communicators.Select(c => c.BarrierAsync())).ConfigureAwait(false);
                var clock = Stopwatch.StartNew();
                await Task.WhenAll(communicators.Select((c, i) => Task.Run(() => c.AllReduceSumAsync(buffers[i])))).ConfigureAwait(false);
                if (r >= 2)
                {
                    times.Add(clock.Elapsed.TotalSeconds);
                }
            }

            times.Sort();
            var median = times[times.Count / 2];
            var algbw = mib * 1024.0 * 1024.0 / median / 1e9;
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $$"""{"impl": "distgrad", "mib": {{mib}}, "algbw_gbs": {{algbw:F4}}, "busbw_gbs": {{algbw * 2 * (world - 1) / world:F4}}}"""));
        }

        foreach (var t in transports)
        {
            await t.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var l in listeners)
        {
            await l.DisposeAsync().ConfigureAwait(false);
        }
    }
}
