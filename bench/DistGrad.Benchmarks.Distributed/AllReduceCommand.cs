using System.Globalization;
using DistGrad.Distributed.Collectives;
using DistGrad.Distributed.DataPlane;
using DistGrad.Distributed.Security;

namespace DistGrad.Benchmarks.Distributed;

/// <summary>
/// Ring all-reduce bus bandwidth between ranks on loopback TCP (the data plane the workers use), printed as
/// bench/reference/allreduce_gloo.py prints gloo's; with TLS, every link runs mutual TLS (the cluster's default) on
/// certificates of an ephemeral CA, to measure what encryption costs.
/// </summary>
internal static class AllReduceCommand
{
    public static async Task RunAsync(int world, IReadOnlyList<int> sizesMib, int reps, bool tls)
    {
        var bytes = sizesMib.Select(m => (long)m * 1024 * 1024).ToArray();
        var options = tls ? new TcpTransportOptions { Tls = NodeCertificates.Ephemeral() } : TcpTransportOptions.Plain;
        var samples = await AllReduceBandwidth.MeasureLoopbackAsync(world, bytes, warmups: 2, iterations: reps, options: options).ConfigureAwait(false);
        var impl = tls ? "distgrad-tls" : "distgrad";
        foreach (var s in samples)
        {
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $$"""{"impl": "{{impl}}", "mib": {{s.Bytes / (1024 * 1024)}}, "algbw_gbs": {{s.AlgorithmGBps:F4}}, "busbw_gbs": {{s.BusGBps:F4}}}"""));
        }
    }
}
