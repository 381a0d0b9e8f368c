using System.CommandLine;
using System.Globalization;
using DistGrad.Distributed.Formation;

namespace DistGrad.Distributed.Cli;

/// <summary>
/// <c>train</c>'s command line (System.CommandLine: help, errors, completions). Options the user gives override
/// the job's own defaults (<see cref="TrainingJob.Defaults"/>); every mistake becomes a <see cref="UsageException"/>
/// with one clear line.
/// </summary>
public static class TrainOptionsParser
{
    private static readonly CommandLineSetting<TrainOptions>[] Settings =
    [
        Value("--job", "NAME", "the job to train (a job of this program or of --job-assembly)", (o, v) => o with { Spec = o.Spec with { Job = v } }, "--model"),
        Value("--dataset", "NAME", "fashion-mnist-mini (bundled) or fashion-mnist (IDX), for the built-in jobs", (o, v) => o with { Spec = o.Spec with { Dataset = v } }),
        Value("--data-dir", "DIR", "where the fashion-mnist IDX .gz files are", (o, v) => o with { Spec = o.Spec with { DataDirectory = v } }),
        Value("--epochs", "N", "epochs to train", (o, v) => o with { Spec = o.Spec with { Epochs = Int("--epochs", v) } }),
        Value("--steps", "N", "optimizer steps to train (wins over --epochs)", (o, v) => o with { Spec = o.Spec with { Steps = Int("--steps", v) } }),
        Flag("--no-eval", "skip the test-set evaluation at the end", o => o with { Spec = o.Spec with { Evaluate = false } }),
        Value("--batch-size", "B", "global batch per optimizer step", (o, v) => o with { Spec = o.Spec with { BatchSize = Int("--batch-size", v) } }),
        Value("--accumulation-steps", "K", "micro-steps accumulated per optimizer step", (o, v) => o with { Spec = o.Spec with { AccumulationSteps = Int("--accumulation-steps", v) } }),
        Value("--data-parallel", "D", "replicas", (o, v) => o with { Spec = o.Spec with { DataParallel = Int("--data-parallel", v) } }),
        Value("--pipeline-stages", "S", "graph shards per replica", (o, v) => o with { Spec = o.Spec with { PipelineStages = Int("--pipeline-stages", v) } }),
        Value("--micro-batches", "M", "micro-batches per step (pipeline)", (o, v) => o with { Spec = o.Spec with { MicroBatches = Int("--micro-batches", v) } }),
        Value("--schedule", "gpipe|1f1b", "pipeline schedule", (o, v) => o with { Spec = o.Spec with { Schedule = OneOf("--schedule", v, "gpipe", "1f1b") } }),
        Value("--partition", "params|profile|3,2", "cut by parameter count, measured forward time, or layers per stage", (o, v) => o with { Spec = o.Spec with { Partition = v } }),
        Value("--threads-per-worker", "N", "kernel threads per worker, 0 = all cores", (o, v) => o with { Spec = o.Spec with { ThreadsPerWorker = Int("--threads-per-worker", v, allowZero: true) } }),
        Value("--devices", "LIST", "embedded workers' devices, in turn: cpu, cuda:N, auto, ilgpu-cpu", (o, v) => o with { Devices = ParseDevices(v) }),
        Value("--bucket-mb", "X", "all-reduce bucket size in MiB", (o, v) => o with { Spec = o.Spec with { BucketBytes = checked((int)(Double("--bucket-mb", v) * 1024 * 1024)) } }),
        Value("--optimizer", "sgd|adam|adamw", "optimizer (when the job does not build its own)", (o, v) => o with { Spec = o.Spec with { Optimizer = v } }),
        Value("--lr", "X", "learning rate", (o, v) => o with { Spec = o.Spec with { LearningRate = Double("--lr", v) } }),
        Value("--momentum", "X", "SGD momentum", (o, v) => o with { Spec = o.Spec with { Momentum = Double("--momentum", v) } }),
        Value("--weight-decay", "X", "weight decay", (o, v) => o with { Spec = o.Spec with { WeightDecay = Double("--weight-decay", v) } }),
        Value("--clip-grad-norm", "X", "global-norm clipping of the reduced gradients [off]", (o, v) => o with { Spec = o.Spec with { ClipGradNorm = Double("--clip-grad-norm", v) } }),
        Value("--clip-norm-type", "P", "norm of the clipping (a number or inf)", (o, v) => o with { Spec = o.Spec with { ClipNormType = v == "inf" ? double.PositiveInfinity : Double("--clip-norm-type", v) } }),
        Value("--clip-grad-value", "X", "value clipping of the reduced gradients [off]", (o, v) => o with { Spec = o.Spec with { ClipGradValue = Double("--clip-grad-value", v) } }),
        Value("--seed", "N", "seed of every random draw", (o, v) => o with { Spec = o.Spec with { Seed = Long("--seed", v) } }),
        Value("--local-nodes", "N", "worker nodes of the embedded cluster", (o, v) => o with { LocalNodes = Int("--local-nodes", v) }),
        Flag("--cluster", "join a real cluster instead of the embedded one (found as --discovery says)", o => o with { UseCluster = true }),
        .. NetworkSettings.For<TrainOptions>(o => o.Network, (o, n) => o with { Network = n }, "the coordinator's node"),
        .. TlsSettings.For<TrainOptions>(o => o.Tls, (o, t) => o with { Tls = t }),
        Value("--worker-wait", "SECONDS", "how long to wait for enough worker slots", (o, v) => o with { WorkerWaitTimeout = TimeSpan.FromSeconds(Double("--worker-wait", v)) }),
        Value("--step-timeout", "SECONDS", "longest wait for any worker's answer", (o, v) => o with { Spec = o.Spec with { StepTimeout = TimeSpan.FromSeconds(Double("--step-timeout", v)) } }),
        Value("--out", "DIR", "run directory [runs/<UTC time>]", (o, v) => o with { OutputDirectory = v }),
        Value("--telemetry", "none|console|otlp", "OpenTelemetry exporter for DistGrad.* spans and metrics", (o, v) => o with { Telemetry = OneOf("--telemetry", v, "none", "console", "otlp") }),
        Value("--otlp-endpoint", "URL", "OTLP collector (with --telemetry otlp) [http://localhost:4317]", (o, v) => o with { OtlpEndpoint = v }),
        Value("--checkpoint-every", "N", "write a checkpoint after every N steps; a lost worker then rolls the job back to the last one (kill -HUP: one after the next step) [off]", (o, v) => o with { Spec = o.Spec with { CheckpointEvery = Int("--checkpoint-every", v) } }),
        Value("--checkpoint-keep", "K", "whole checkpoints kept", (o, v) => o with { Spec = o.Spec with { CheckpointKeep = Int("--checkpoint-keep", v) } }),
        Value("--max-restarts", "N", "recoveries before the job gives up", (o, v) => o with { Spec = o.Spec with { MaxRestarts = Int("--max-restarts", v, allowZero: true) } }),
        Value("--resume", "DIR", "continue from the newest whole checkpoint in DIR (a run directory)", (o, v) => o with { ResumeDirectory = Directory.Exists(v) ? v : throw new UsageException($"--resume '{v}' does not exist (give the run directory of the job to continue, or its checkpoints folder)") }),
        Flag("--standby", "with --cluster and the same options and --out as a running coordinator: take its job over from the last checkpoint if its node is lost", o => o with { Standby = true }),
    ];

    /// <summary>Every option name, for the help text's test.</summary>
    public static IEnumerable<string> OptionNames => Settings.Select(s => s.Option.Name);

    /// <summary>--job-assembly PATH: load more jobs from a user's assembly (shared with <c>worker</c>).</summary>
    public static Option<string[]> JobAssemblyOption() => new("--job-assembly")
    {
        Description = "load the jobs of a .NET assembly (its public static TrainingJob properties and fields); may repeat",
        HelpName = "PATH",
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>--config FILE: HOCON with distgrad.COMMAND.OPTION = value and akka { … } overrides.</summary>
    public static Option<string> ConfigOption() => new("--config") { Description = "HOCON file: distgrad.<command>.<option> = value, and akka { ... } overrides (DISTGRAD_<OPTION> variables win over it)", HelpName = "FILE" };

    /// <summary>--print-config: show the effective configuration and exit.</summary>
    public static Option<bool> PrintConfigOption() => new("--print-config") { Description = "print the effective options and cluster configuration, then exit" };

    /// <summary>The <c>train</c> command with every option (no action: <see cref="DistGradApp"/> adds it).</summary>
    public static Command CreateCommand()
    {
        var command = new Command("train", "Trains a job on a DistGrad cluster: an embedded one in this process unless --cluster. Options left out take the job's own defaults (train --print-config shows them).");
        foreach (var setting in Settings)
        {
            command.Options.Add(setting.Option);
        }

        command.Options.Add(JobAssemblyOption());
        command.Options.Add(ConfigOption());
        command.Options.Add(PrintConfigOption());
        return command;
    }

    /// <summary>Parses <c>train</c>'s arguments (without the word train) for the built-in jobs, from the command line alone.</summary>
    public static TrainOptions Parse(IReadOnlyList<string> args) => Parse(args, BuiltInJobs.Catalog(), ConfigurationSources.None);

    /// <summary>
    /// Parses <c>train</c>'s arguments: the job <c>--job</c> names (the catalog's first by default) with its
    /// defaults, overridden by the file, the environment and the command line, checked against the job.
    /// </summary>
    public static TrainOptions Parse(IReadOnlyList<string> args, JobCatalog jobs, ConfigurationSources sources)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        var command = CreateCommand();
        var result = command.Parse(sources.Complete(command, Settings, args).ToArray());
        return Bind(result, jobs, sources);
    }

    /// <summary>The options of a parsed <c>train</c> command line (see <see cref="Parse(IReadOnlyList{string}, JobCatalog, ConfigurationSources)"/>).</summary>
    public static TrainOptions Bind(ParseResult result, JobCatalog jobs, ConfigurationSources sources)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Errors.Count > 0)
        {
            throw new UsageException(string.Join("; ", result.Errors.Select(e => e.Message.TrimEnd('.'))));
        }

        var name = result.GetValue((Option<string[]>)Settings[0].Option) is [.., var named] ? named : jobs.Default?.Name
            ?? throw new UsageException("this program defines no jobs; give --job-assembly PATH");
        var job = jobs.Find(name) ?? throw new UsageException(
            $"--job '{name}' is not a job of this program (jobs: {(jobs.Names.Count == 0 ? "none" : string.Join(", ", jobs.Names))})");
        var options = new TrainOptions { Spec = job.Defaults with { Job = job.Name }, AkkaOverrides = sources.AkkaOverrides };
        foreach (var setting in Settings)
        {
            options = setting.Apply(options, result);
        }

        Check(options, result);
        var problems = JobSpecValidation.Problems(job, options.Spec);
        if (problems.Count > 0)
        {
            throw new UsageException(string.Join("; ", problems));
        }

        return options;
    }

    /// <summary>The effective options as HOCON (what --print-config shows above the cluster configuration).</summary>
    public static string Describe(TrainOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var s = options.Spec;
        string Q(string v) => "\"" + v.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
        string N(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        List<string> lines =
        [
            $"job = {Q(s.Job)}", $"dataset = {Q(s.Dataset)}", $"data-dir = {Q(s.DataDirectory)}", $"epochs = {s.Epochs}",
            $"steps = {(s.Steps is { } steps ? steps.ToString(CultureInfo.InvariantCulture) : "null")}", $"no-eval = {(!s.Evaluate).ToString().ToLowerInvariant()}",
            $"batch-size = {s.BatchSize}", $"accumulation-steps = {s.AccumulationSteps}", $"data-parallel = {s.DataParallel}",
            $"pipeline-stages = {s.PipelineStages}", $"micro-batches = {s.MicroBatches}", $"schedule = {Q(s.Schedule)}", $"partition = {Q(s.Partition)}",
            $"threads-per-worker = {s.ThreadsPerWorker}", $"devices = {Q(string.Join(",", options.Devices))}", $"bucket-mb = {N(s.BucketBytes / 1024.0 / 1024.0)}",
            $"optimizer = {Q(s.Optimizer)}", $"lr = {N(s.LearningRate)}", $"momentum = {N(s.Momentum)}", $"weight-decay = {N(s.WeightDecay)}",
            $"clip-grad-norm = {(s.ClipGradNorm is { } norm ? N(norm) : "null")}", $"clip-norm-type = {(double.IsPositiveInfinity(s.ClipNormType) ? Q("inf") : N(s.ClipNormType))}",
            $"clip-grad-value = {(s.ClipGradValue is { } value ? N(value) : "null")}", $"seed = {s.Seed}", $"local-nodes = {options.LocalNodes}",
            $"cluster = {options.UseCluster.ToString().ToLowerInvariant()}", .. NetworkLines(options.Network, Q, N), .. TlsSettings.Lines(options.Tls, Q), $"worker-wait = {N(options.WorkerWaitTimeout.TotalSeconds)}",
            $"step-timeout = {N(s.StepTimeout.TotalSeconds)}", $"out = {(options.OutputDirectory is { } o ? Q(o) : "null")}", $"telemetry = {Q(options.Telemetry)}",
            $"checkpoint-every = {(s.CheckpointEvery is { } every ? every.ToString(CultureInfo.InvariantCulture) : "null")}", $"checkpoint-keep = {s.CheckpointKeep}",
            $"max-restarts = {s.MaxRestarts}", $"standby = {options.Standby.ToString().ToLowerInvariant()}",
        ];
        return "distgrad.train {\n" + string.Join("\n", lines.Select(l => "  " + l)) + "\n}";
    }

    // Options that only mean something for a real cluster (--hostname and --port also place the embedded one).
    private static readonly string[] NetworkOnly =
        ["--discovery", "--seed-nodes", "--contact-points", "--required-contact-points", "--pod-label-selector", "--join-timeout", "--bind-hostname", "--bind-port", "--data-port", "--management-port",
         "--tls-cert", "--tls-key", "--tls-pkcs12", "--tls-ca", "--insecure"];

    /// <summary>The network options as --print-config lines (shared with <c>worker</c>'s).</summary>
    internal static IEnumerable<string> NetworkLines(NodeNetwork n, Func<string, string> q, Func<double, string> number) =>
    [
        $"discovery = {q(n.Discovery.Name())}", $"seed-nodes = [{string.Join(", ", n.SeedNodes.Select(q))}]", $"contact-points = [{string.Join(", ", n.ContactPoints.Select(q))}]",
        $"required-contact-points = {n.RequiredContactPoints}", $"pod-label-selector = {q(n.PodLabelSelector)}", $"join-timeout = {number(n.JoinTimeout.TotalSeconds)}",
        $"hostname = {q(n.Hostname)}", $"port = {n.Port}", $"bind-hostname = {(n.BindHostname is { } b ? q(b) : "null")}",
        $"bind-port = {(n.BindPort is { } p ? p.ToString(CultureInfo.InvariantCulture) : "null")}", $"data-port = {q(n.DataPorts.ToString())}", $"management-port = {n.ManagementPort}",
    ];

    private static void Check(TrainOptions options, ParseResult result)
    {
        if (options.UseCluster)
        {
            NetworkSettings.Check(options.Network, "--cluster");
            if (options.Tls.Problem() is { } tls)
            {
                throw new UsageException(tls);
            }
        }
        else if (Settings.FirstOrDefault(s => s.Given(result) && NetworkOnly.Contains(s.Option.Name)) is { } given)
        {
            throw new UsageException($"{given.Option.Name} is only used with --cluster (the embedded cluster runs on this machine's loopback)");
        }

        if (options.Standby && (!options.UseCluster || options.OutputDirectory == null))
        {
            throw new UsageException("--standby needs --cluster and the --out of the coordinator it stands by for (the run directory both use)");
        }

        if (options.UseCluster && Settings.Single(s => s.Option.Name == "--devices").Given(result))
        {
            throw new UsageException("--devices places the embedded cluster's workers; with --cluster each worker's --devices does");
        }

        // The embedded cluster's workers read the data on this machine: a missing folder is a usage error here.
        // (With --cluster the workers' machines must have it, and a worker reports it at start.)
        if (!options.UseCluster && options.Spec.Dataset == DatasetCatalog.Full && !Directory.Exists(options.Spec.DataDirectory))
        {
            throw new UsageException($"--data-dir '{options.Spec.DataDirectory}' does not exist (the fashion-mnist IDX files: apt-get install -y dataset-fashion-mnist)");
        }
    }

    private static CommandLineSetting<TrainOptions> Value(string name, string valueName, string description, Func<TrainOptions, string, TrainOptions> apply, params string[] aliases) =>
        CommandLineSetting<TrainOptions>.Value(name, valueName, description, apply, aliases);

    private static CommandLineSetting<TrainOptions> Flag(string name, string description, Func<TrainOptions, TrainOptions> apply) =>
        CommandLineSetting<TrainOptions>.Flag(name, description, apply);

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

    internal static int Int(string option, string value, bool allowZero = false) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && (n > 0 || (allowZero && n == 0))
            ? n
            : throw new UsageException($"{option} must be a {(allowZero ? "non-negative" : "positive")} integer, got '{value}'");

    internal static int Port(string option, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) && p is >= 0 and <= 65535
            ? p
            : throw new UsageException($"{option} must be an integer in [0, 65535], got '{value}'");

    private static long Long(string option, string value) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new UsageException($"{option} must be an integer, got '{value}'");

    private static double Double(string option, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && double.IsFinite(x)
            ? x
            : throw new UsageException($"{option} must be a number, got '{value}'");

    internal static string OneOf(string option, string value, params string[] allowed) =>
        allowed.Contains(value, StringComparer.Ordinal)
            ? value
            : throw new UsageException($"{option} must be one of {string.Join(", ", allowed)}, got '{value}'");
}
