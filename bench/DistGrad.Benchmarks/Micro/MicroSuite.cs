using System.Globalization;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace DistGrad.Benchmarks.Micro;

/// <summary>Runs the BenchmarkDotNet suites and writes each benchmark's median time as a measurement.</summary>
internal static class MicroSuite
{
    private static readonly Type[] Suites =
    [
        typeof(GemmBenchmarks),
        typeof(ElementwiseBenchmarks),
        typeof(ReductionBenchmarks),
        typeof(SoftmaxCrossEntropyBenchmarks),
        typeof(ConvBenchmarks),
        typeof(AutogradForwardBenchmarks),
        typeof(AutogradBackwardBenchmarks),
    ];

    /// <param name="switcherArgs">Passed to BenchmarkDotNet (e.g. --filter '*Gemm*'); none runs every suite.</param>
    /// <param name="outPath">The JSON-lines file to append to, or null to only print.</param>
    public static int Run(string[] switcherArgs, string? outPath)
    {
        var artifacts = Path.Combine(Path.GetTempPath(), "distgrad-benchmarks");
        var config = ShortRunConfig.Create(artifacts);
        var summaries = switcherArgs.Length == 0
            ? BenchmarkRunner.Run(Suites, config)
            : BenchmarkSwitcher.FromTypes(Suites).Run(switcherArgs, config);

        var measurements = summaries.SelectMany(ToMeasurements).ToList();
        foreach (var m in measurements)
        {
            Console.WriteLine(m);
        }

        Measurement.Append(outPath, measurements);
        return measurements.Count > 0 && summaries.All(s => !s.HasCriticalValidationErrors) ? 0 : 1;
    }

    private static IEnumerable<Measurement> ToMeasurements(Summary summary)
    {
        foreach (var report in summary.Reports)
        {
            if (report.ResultStatistics is not { } statistics)
            {
                continue;
            }

            var benchmark = report.BenchmarkCase;
            var parameters = benchmark.Parameters.Items.Select(p => Convert.ToString(p.Value, CultureInfo.InvariantCulture));
            var name = string.Join(' ', [benchmark.Descriptor.WorkloadMethodDisplayInfo.Trim('\''), .. parameters]);
            yield return new Measurement("distgrad", name, statistics.Median, "ns");
        }
    }
}
