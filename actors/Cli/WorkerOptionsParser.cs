using System.CommandLine;

namespace DistGrad.Distributed.Cli;

/// <summary><c>worker</c>'s command line (node-host's too); every mistake becomes a <see cref="UsageException"/> with one clear line.</summary>
public static class WorkerOptionsParser
{
    private static readonly CommandLineSetting<WorkerOptions>[] Settings =
    [
        .. NetworkSettings.For<WorkerOptions>(o => o.Network, (o, n) => o with { Network = n }, "this node"),
        .. TlsSettings.For<WorkerOptions>(o => o.Tls, (o, t) => o with { Tls = t }),
        CommandLineSetting<WorkerOptions>.Value("--devices", "LIST", "devices to host a worker on, one each: cpu, cuda:0,cuda:1, ..., or auto (every CUDA device, else one CPU worker) [cpu]", (o, v) => o with { Devices = ResolveDevices(v) }),
        CommandLineSetting<WorkerOptions>.Value("--telemetry", "none|console|otlp", "exporter for this node's DistGrad.* spans and metrics [none]", (o, v) => o with { Telemetry = TrainOptionsParser.OneOf("--telemetry", v, "none", "console", "otlp") }),
        CommandLineSetting<WorkerOptions>.Value("--otlp-endpoint", "URL", "OTLP collector (with --telemetry otlp) [http://localhost:4317]", (o, v) => o with { OtlpEndpoint = v }),
        CommandLineSetting<WorkerOptions>.Value("--job", "NAME", "run only this job of the program or of --job-assembly [every job]", (o, v) => o with { Job = v }),
    ];

    /// <summary>The <c>worker</c> command with every option (no action: <see cref="DistGradApp"/> adds it).</summary>
    public static Command CreateCommand()
    {
        var command = new Command("worker", "Joins a DistGrad cluster with role 'worker' and hosts one worker per device until stopped (SIGTERM or Ctrl+C leave the cluster gracefully).");
        foreach (var setting in Settings)
        {
            command.Options.Add(setting.Option);
        }

        command.Options.Add(TrainOptionsParser.JobAssemblyOption());
        command.Options.Add(TrainOptionsParser.ConfigOption());
        command.Options.Add(TrainOptionsParser.PrintConfigOption());
        return command;
    }

    /// <summary>Parses <c>worker</c>'s arguments (without the word worker) from the command line alone.</summary>
    public static WorkerOptions Parse(IReadOnlyList<string> args) => Parse(args, ConfigurationSources.None);

    public static WorkerOptions Parse(IReadOnlyList<string> args, ConfigurationSources sources)
    {
        var command = CreateCommand();
        return Bind(command.Parse(sources.Complete(command, Settings, args).ToArray()), sources);
    }

    public static WorkerOptions Bind(ParseResult result, ConfigurationSources sources)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Errors.Count > 0)
        {
            throw new UsageException(string.Join("; ", result.Errors.Select(e => e.Message.TrimEnd('.'))));
        }

        var options = new WorkerOptions { AkkaOverrides = sources.AkkaOverrides };
        foreach (var setting in Settings)
        {
            options = setting.Apply(options, result);
        }

        NetworkSettings.Check(options.Network, "worker");
        if (options.Tls.Problem() is { } tls)
        {
            throw new UsageException(tls);
        }

        return options;
    }

    /// <summary>
    /// "auto" means one worker per CUDA device, or one CPU worker on a machine without any; an explicit list is checked
    /// against the devices this machine has, so a typo or a missing GPU fails at start rather than in the first step.
    /// </summary>
    private static string ResolveDevices(string devices)
    {
        try
        {
            return string.Join(",", global::DistGrad.Devices.ParseList(devices));
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--devices: {e.Message}");
        }
    }
}
