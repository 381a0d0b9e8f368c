using DistGrad.Distributed;
using System.Globalization;
using System.Text.Json;
using DistGrad.Distributed.Cli;
using DistGrad.Distributed.Running;

namespace DistGrad.Benchmarks.Distributed;

/// <summary>
/// The pipeline's two figures on the embedded cluster: the measured bubble fraction beside the theoretical
/// (S−1)/(M+S−1), and each stage's peak activation memory under 1F1B against GPipe's (target ≤ S/M + 10%).
/// Both schedules run the same job (mlp-wide, S = 2, M = 8 by default, one kernel thread per worker).
/// </summary>
internal static class PipelineBenchmark
{
    public static async Task<int> RunAsync(string[] extraArgs)
    {
        var results = new Dictionary<string, JsonElement>();
        foreach (var schedule in new[] { "gpipe", "1f1b" })
        {
            var dir = Path.Combine(Path.GetTempPath(), $"distgrad-bench-pipeline-{schedule}");
            var options = TrainOptionsParser.Parse([
                "--model", "mlp-wide", "--pipeline-stages", "2", "--micro-batches", "8", "--data-parallel", "1", "--local-nodes", "2",
                "--batch-size", "256", "--steps", "30", "--threads-per-worker", "1", "--no-eval", "--schedule", schedule, "--out", dir, .. extraArgs]);
            var outcome = await TrainCommand.RunAsync(BuiltInJobs.Catalog(), options, TextWriter.Null, interactive: false).ConfigureAwait(false);
            if (!outcome.Succeeded)
            {
                Console.Error.WriteLine($"{schedule}: training failed: {outcome.Error}");
                return 1;
            }

            using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")));
            results[schedule] = summary.RootElement.GetProperty("pipeline").Clone();
            var p = results[schedule];
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{schedule}: bubble measured {p.GetProperty("bubble_fraction_measured").GetDouble():P1} (median of steps 2–{outcome.Steps}), " +
                $"theoretical {p.GetProperty("bubble_fraction_theoretical").GetDouble():P1}; samples/s {outcome.TrainSamples / outcome.TrainSeconds:F0}; " +
                $"peak activation bytes by stage [{string.Join(", ", p.GetProperty("peak_activation_bytes_by_stage").EnumerateArray().Select(e => e.GetInt64()))}]; timeline {dir}/timeline.svg"));
        }

        var gpipe = results["gpipe"].GetProperty("peak_activation_bytes_by_stage").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        var oneFOneB = results["1f1b"].GetProperty("peak_activation_bytes_by_stage").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        Console.WriteLine("1f1b / gpipe peak activation memory by stage: " + string.Join(", ", gpipe.Select((g, s) => ((double)oneFOneB[s] / g).ToString("F3", CultureInfo.InvariantCulture))));
        return 0;
    }
}
