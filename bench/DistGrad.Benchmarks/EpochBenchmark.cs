using System.Diagnostics;
using System.Globalization;
using DistGrad.Data;
using DistGrad.Nn;
using DistGrad.Optim;

namespace DistGrad.Benchmarks;

/// <summary>
/// End to end: one epoch of the MLP (784-256-128-10, batch 128, SGD lr 0.1 momentum 0.9) over Fashion-MNIST's
/// training set. Loading the files is not timed; the peak resident set is the whole process's. Run it in a
/// process of its own (as run-all.sh does) so no other workload's memory counts.
/// </summary>
internal static class EpochBenchmark
{
    public static int Run(string? dataDirectory, string? outPath)
    {
        Generator.ManualSeed(0);
        var train = FashionMnist.Load(dataDirectory ?? FashionMnist.DefaultDirectory(), train: true);
        var network = Models.Mlp();
        var optimizer = new SGD(network.Parameters(), 0.1, momentum: 0.9);
        var loader = new DataLoader(train, batchSize: 128, shuffle: true);

        network.Train();
        var lastLoss = double.NaN;
        var clock = Stopwatch.StartNew();
        foreach (var (xb, yb) in loader)
        {
            optimizer.ZeroGrad();
            var loss = Functional.CrossEntropy(network.Forward(xb), yb);
            loss.Backward();
            optimizer.Step();
            lastLoss = loss.Item();
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var samplesPerSecond = train.Count / seconds;
        var peak = PeakMemory.Mebibytes();
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"distgrad mlp epoch samples={train.Count} seconds={seconds:F2} samples_per_s={samplesPerSecond:F0} peak_rss_mib={peak:F0} last_loss={lastLoss:F4}"));

        Measurement.Append(outPath,
        [
            new("distgrad", "mlp epoch wall time", seconds, "s"),
            new("distgrad", "mlp epoch throughput", samplesPerSecond, "samples/s"),
            new("distgrad", "mlp epoch peak RSS", peak, "MiB"),
        ]);
        return 0;
    }
}
