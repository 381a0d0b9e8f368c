using System.Globalization;

namespace DistGrad.NodeHost;

/// <summary>node-host's command line (CLI.md): where to join, where to listen, which devices to offer.</summary>
public sealed record NodeHostOptions(IReadOnlyList<string> SeedNodes, string Hostname, int Port, string Devices, bool ShowHelp)
{
    /// <summary>none, console or otlp: where this node's worker spans and metrics go.</summary>
    public string Telemetry { get; init; } = "none";

    public string? OtlpEndpoint { get; init; }

    public const string Help = """
        usage: node-host --seed-nodes akka.tcp://distgrad@HOST:PORT[,...] [--hostname H] [--port P] [--devices auto|cpu|cuda:N,...]

        Joins a DistGrad cluster with role 'worker' and hosts one worker per device until stopped
        (SIGTERM or Ctrl+C leave the cluster gracefully).

          --seed-nodes URI,...   cluster seed nodes (required)
          --hostname H           the address other nodes reach this one at    [127.0.0.1]
          --port P               Akka port, 0 picks a free one                [0]
          --devices LIST         devices to host a worker on, one worker each: cpu, cuda:0,cuda:1, ...,
                                 or auto (every CUDA device when there is one, else one CPU worker)  [cpu]
          --telemetry none|console|otlp   exporter for this node's DistGrad.* spans and metrics  [none]
          --otlp-endpoint URL    OTLP collector (with --telemetry otlp)       [http://localhost:4317]
        """;

    /// <summary>Worker slots the devices give: one per device.</summary>
    public int Slots => Devices.Split(',', StringSplitOptions.RemoveEmptyEntries).Length;

    public static NodeHostOptions Parse(IReadOnlyList<string> args)
    {
        var seeds = new List<string>();
        var hostname = "127.0.0.1";
        var port = 0;
        var devices = "cpu";
        var telemetry = "none";
        string? otlpEndpoint = null;
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--help" or "-h":
                    return new NodeHostOptions([], hostname, port, devices, ShowHelp: true);
                case "--seed-nodes":
                    seeds.AddRange(Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                    break;
                case "--hostname":
                    hostname = Value();
                    break;
                case "--port":
                    var text = Value();
                    port = int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) && p is >= 0 and <= 65535
                        ? p
                        : throw new ArgumentException($"--port must be an integer in [0, 65535], got '{text}'");
                    break;
                case "--devices":
                    devices = Value();
                    break;
                case "--telemetry":
                    telemetry = Value();
                    if (telemetry is not ("none" or "console" or "otlp"))
                    {
                        throw new ArgumentException($"--telemetry must be one of none, console, otlp, got '{telemetry}'");
                    }

                    break;
                case "--otlp-endpoint":
                    otlpEndpoint = Value();
                    break;
                default:
                    throw new ArgumentException($"unknown option '{args[i]}' (see --help)");
            }
        }

        if (seeds.Count == 0)
        {
            throw new ArgumentException("--seed-nodes is required: akka.tcp://distgrad@HOST:PORT[,...]");
        }

        var bad = seeds.FirstOrDefault(s => !s.StartsWith("akka.tcp://", StringComparison.Ordinal));
        if (bad != null)
        {
            throw new ArgumentException($"--seed-nodes: '{bad}' is not an address like akka.tcp://distgrad@HOST:PORT");
        }

        return new NodeHostOptions(seeds, hostname, port, ResolveDevices(devices), ShowHelp: false) { Telemetry = telemetry, OtlpEndpoint = otlpEndpoint };
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
            throw new ArgumentException($"--devices: {e.Message}");
        }
    }
}
