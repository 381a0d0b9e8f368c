using DistGrad.Distributed;
using System.Globalization;
using DistGrad.Distributed.Cli;
using DistGrad.Distributed.Running;

namespace DistGrad.Benchmarks.Distributed;

/// <summary>
/// Data-parallel training throughput on the embedded cluster (real loopback TCP between worker nodes),
/// printed as bench/reference/ddp_mlp.py prints PyTorch DDP's. The timed part is the steps, as in the script.
/// </summary>
internal static class TrainingThroughput
{
    public static async Task<int> RunAsync(string[] trainArgs)
    {
        var options = TrainOptionsParser.Parse(["--no-eval", "--out", Path.Combine(Path.GetTempPath(), "distgrad-bench-run"), .. trainArgs]);
        var outcome = await TrainCommand.RunAsync(BuiltInJobs.Catalog(), options, TextWriter.Null, interactive: false).ConfigureAwait(false);
        if (!outcome.Succeeded)
        {
            Console.Error.WriteLine($"training failed: {outcome.Error}");
            return 1;
        }

        var job = options.Spec;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $$"""{"impl": "distgrad", "model": "{{job.Job}}", "world": {{job.DataParallel}}, "steps": {{outcome.Steps}}, "seconds": {{outcome.TrainSeconds:F3}}, "samples_per_second": {{outcome.TrainSamples / outcome.TrainSeconds:F1}}}"""));
        return 0;
    }
}
