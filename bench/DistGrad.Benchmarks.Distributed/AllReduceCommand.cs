using System.Globalization;
using DistGrad.Distributed.Collectives;

namespace DistGrad.Benchmarks.Distributed;

/// <summary>
/// Ring all-reduce bus bandwidth between ranks on loopback TCP (the data plane the workers use), printed as
/// bench/reference/allreduce_gloo.py prints gloo's.
/// </summary>
internal static class AllReduceCommand
{
    public static async Task RunAsync(int world, IReadOnlyList<int> sizesMib, int reps)
    {
        var bytes = sizesMib.Select(m => (long)m * 1024 * 1024).ToArray();
        var samples = await AllReduceBandwidth.MeasureLoopbackAsync(world, bytes, warmups: 2, iterations: reps).ConfigureAwait(false);
        foreach (var s in samples)
        {
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $$"""{"impl": "distgrad", "mib": {{s.Bytes / (1024 * 1024)}}, "algbw_gbs": {{s.AlgorithmGBps:F4}}, "busbw_gbs": {{s.BusGBps:F4}}}"""));
        }
    }
}
