using System.Diagnostics;
using System.Globalization;

namespace DistGrad.Benchmarks;

/// <summary>
/// A quick Stopwatch read of the autograd chain (no BenchmarkDotNet), for the edit–measure loop of engine
/// work: median microseconds per op, forward and backward, over many repetitions.
/// </summary>
internal static class AutogradOverhead
{
    public static int Run(int repetitions)
    {
        var addend = AutogradChain.Addend();
        var forward = new List<double>();
        var backward = new List<double>();
        for (var r = 0; r < repetitions; r++)
        {
            var leaf = AutogradChain.Leaf();
            var clock = Stopwatch.StartNew();
            var y = AutogradChain.Forward(leaf, addend);
            var built = clock.Elapsed.TotalMicroseconds;
            clock.Restart();
            y.Backward();
            var ran = clock.Elapsed.TotalMicroseconds;

            // The first tenth warms up the JIT and the allocator.
            if (r >= repetitions / 10)
            {
                forward.Add(built / AutogradChain.Ops);
                backward.Add(ran / AutogradChain.Ops);
            }
        }

        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"distgrad autograd chain ops={AutogradChain.Ops} numel={AutogradChain.Length} forward_us_per_op={Median(forward):F3} backward_us_per_op={Median(backward):F3} (fastest {forward.Min():F3} / {backward.Min():F3})"));
        return 0;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}
