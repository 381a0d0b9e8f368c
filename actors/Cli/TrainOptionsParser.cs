using System.Globalization;

namespace DistGrad.Distributed.Cli;

/// <summary>Parses <c>train</c>'s options; every mistake becomes a <see cref="UsageException"/> with one clear line.</summary>
public static class TrainOptionsParser
{
    private delegate TrainOptions Apply(TrainOptions options, string value);

    private static readonly Dictionary<string, Apply> WithValue = new(StringComparer.Ordinal)
    {
        ["--model"] = (o, v) => o with { Job = o.Job with { Model = v } },
        ["--dataset"] = (o, v) => o with { Job = o.Job with { Dataset = v } },
        ["--data-dir"] = (o, v) => o with { Job = o.Job with { DataDirectory = v } },
        ["--epochs"] = (o, v) => o with { Job = o.Job with { Epochs = Int("--epochs", v) } },
        ["--steps"] = (o, v) => o with { Job = o.Job with { Steps = Int("--steps", v) } },
        ["--batch-size"] = (o, v) => o with { Job = o.Job with { BatchSize = Int("--batch-size", v) } },
        ["--micro-batches"] = (o, v) => o with { Job = o.Job with { MicroBatches = Int("--micro-batches", v) } },
        ["--accumulation-steps"] = (o, v) => o with { Job = o.Job with { AccumulationSteps = Int("--accumulation-steps", v) } },
        ["--data-parallel"] = (o, v) => o with { Job = o.Job with { DataParallel = Int("--data-parallel", v) } },
        ["--pipeline-stages"] = (o, v) => o with { Job = o.Job with { PipelineStages = Int("--pipeline-stages", v) } },
        ["--schedule"] = (o, v) => o with { Job = o.Job with { Schedule = OneOf("--schedule", v, "gpipe", "1f1b") } },
        ["--partition"] = (o, v) => o with { Job = o.Job with { Partition = v } },
        ["--optimizer"] = (o, v) => o with { Job = o.Job with { Optimizer = v } },
        ["--lr"] = (o, v) => o with { Job = o.Job with { LearningRate = Double("--lr", v) } },
        ["--momentum"] = (o, v) => o with { Job = o.Job with { Momentum = Double("--momentum", v) } },
        ["--weight-decay"] = (o, v) => o with { Job = o.Job with { WeightDecay = Double("--weight-decay", v) } },
        ["--clip-grad-norm"] = (o, v) => o with { Job = o.Job with { ClipGradNorm = Double("--clip-grad-norm", v) } },
        ["--clip-norm-type"] = (o, v) => o with { Job = o.Job with { ClipNormType = v == "inf" ? double.PositiveInfinity : Double("--clip-norm-type", v) } },
        ["--clip-grad-value"] = (o, v) => o with { Job = o.Job with { ClipGradValue = Double("--clip-grad-value", v) } },
        ["--seed"] = (o, v) => o with { Job = o.Job with { Seed = Long("--seed", v) } },
        ["--bucket-mb"] = (o, v) => o with { Job = o.Job with { BucketBytes = checked((int)(Double("--bucket-mb", v) * 1024 * 1024)) } },
        ["--threads-per-worker"] = (o, v) => o with { Job = o.Job with { ThreadsPerWorker = Int("--threads-per-worker", v, allowZero: true) } },
        ["--step-timeout"] = (o, v) => o with { Job = o.Job with { StepTimeout = TimeSpan.FromSeconds(Double("--step-timeout", v)) } },
        ["--local-nodes"] = (o, v) => o with { LocalNodes = Int("--local-nodes", v) },
        ["--seed-nodes"] = (o, v) => o with { SeedNodes = v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) },
        ["--hostname"] = (o, v) => o with { Hostname = v },
        ["--port"] = (o, v) => o with { Port = Int("--port", v, allowZero: true) },
        ["--worker-wait"] = (o, v) => o with { WorkerWaitTimeout = TimeSpan.FromSeconds(Double("--worker-wait", v)) },
        ["--out"] = (o, v) => o with { OutputDirectory = v },
        ["--devices"] = (o, v) => o with { Devices = ParseDevices(v) },
        ["--telemetry"] = (o, v) => o with { Telemetry = OneOf("--telemetry", v, "none", "console", "otlp") },
        ["--otlp-endpoint"] = (o, v) => o with { OtlpEndpoint = v },
        ["--checkpoint-every"] = (o, v) => o with { Job = o.Job with { CheckpointEvery = Int("--checkpoint-every", v) } },
        ["--checkpoint-keep"] = (o, v) => o with { Job = o.Job with { CheckpointKeep = Int("--checkpoint-keep", v) } },
        ["--max-restarts"] = (o, v) => o with { Job = o.Job with { MaxRestarts = Int("--max-restarts", v, allowZero: true) } },
        ["--resume"] = (o, v) => o with { ResumeDirectory = Directory.Exists(v) ? v : throw new UsageException($"--resume '{v}' does not exist (give the run directory of the job to continue, or its checkpoints folder)") },
    };

    private static readonly Dictionary<string, Func<TrainOptions, TrainOptions>> Flags = new(StringComparer.Ordinal)
    {
        ["--cluster"] = o => o with { UseCluster = true },
        ["--no-eval"] = o => o with { Job = o.Job with { Evaluate = false } },
        ["--standby"] = o => o with { Standby = true },
    };

    /// <summary>Every option name, for the help text's test.</summary>
    public static IEnumerable<string> OptionNames => WithValue.Keys.Concat(Flags.Keys);

    public static TrainOptions Parse(IReadOnlyList<string> args)
    {
        var options = new TrainOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var (name, inline) = arg.Split('=', 2) is [var n, var v] && n.StartsWith("--", StringComparison.Ordinal) ? (n, v) : (arg, null);
            if (Flags.TryGetValue(name, out var flag))
            {
                options = flag(options);
            }
            else if (WithValue.TryGetValue(name, out var apply))
            {
                var value = inline ?? (i + 1 < args.Count ? args[++i] : throw new UsageException($"{name} needs a value"));
                options = apply(options, value);
            }
            else
            {
                throw new UsageException($"unknown option '{arg}' (see train --help)");
            }
        }

        if (options.UseCluster && options.SeedNodes.Count == 0)
        {
            throw new UsageException("--cluster needs --seed-nodes akka.tcp://distgrad@HOST:PORT[,...]");
        }

        if (!options.UseCluster && options.SeedNodes.Count > 0)
        {
            throw new UsageException("--seed-nodes is only used with --cluster");
        }

        if (options.Standby && (!options.UseCluster || options.OutputDirectory == null))
        {
            throw new UsageException("--standby needs --cluster and the --out of the coordinator it stands by for (the run directory both use)");
        }

        if (options.UseCluster && args.Any(a => a.StartsWith("--devices", StringComparison.Ordinal)))
        {
            throw new UsageException("--devices places the embedded cluster's workers; with --cluster each node-host's --devices does");
        }

        // The embedded cluster's workers read the data on this machine: a missing folder is a usage error here.
        // (With --cluster the node-hosts' machines must have it, and a worker reports it at start.)
        if (!options.UseCluster && options.Job.Dataset == DistGrad.Distributed.Jobs.DatasetCatalog.Full && !Directory.Exists(options.Job.DataDirectory))
        {
            throw new UsageException($"--data-dir '{options.Job.DataDirectory}' does not exist (the fashion-mnist IDX files: apt-get install -y dataset-fashion-mnist)");
        }

        var problems = DistGrad.Distributed.Jobs.JobSpecValidation.Problems(options.Job);
        if (problems.Count > 0)
        {
            throw new UsageException(string.Join("; ", problems));
        }

        return options;
    }

    /// <summary>"auto" (every CUDA device, else the CPU) or a list such as cpu, cuda:0,cuda:1 or ilgpu-cpu (the emulator, for tests).</summary>
    private static IReadOnlyList<Device> ParseDevices(string value)
    {
        try
        {
            return global::DistGrad.Devices.ParseList(value, allowEmulator: true);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--devices: {e.Message}");
        }
    }

    private static int Int(string option, string value, bool allowZero = false) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && (n > 0 || (allowZero && n == 0))
            ? n
            : throw new UsageException($"{option} must be a {(allowZero ? "non-negative" : "positive")} integer, got '{value}'");

    private static long Long(string option, string value) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new UsageException($"{option} must be an integer, got '{value}'");

    private static double Double(string option, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && double.IsFinite(x)
            ? x
            : throw new UsageException($"{option} must be a number, got '{value}'");

    private static string OneOf(string option, string value, params string[] allowed) =>
        allowed.Contains(value, StringComparer.Ordinal)
            ? value
            : throw new UsageException($"{option} must be one of {string.Join(", ", allowed)}, got '{value}'");
}
