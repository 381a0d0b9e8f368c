using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using DistGrad.Distributed.Cli;
using DistGrad.Distributed.Formation;
using k8s.Models;

namespace DistGrad.Distributed.Tests.Kubernetes;

/// <summary>
/// What a container's program is told: its command word (<c>train</c> or <c>worker</c>, the first arg after the
/// image's ENTRYPOINT), the arguments after it and the environment Kubernetes gives it (ConfigMaps through
/// envFrom, then env, with <c>$(VAR)</c> references expanded and field references given plausible values), as
/// the program's own parsers read them.
/// </summary>
internal sealed partial class ContainerCommandLine
{
    /// <summary>What a pod's <c>status.podIP</c> stands for here.</summary>
    public const string PodIp = "10.244.1.17";

    private ContainerCommandLine(Workload workload, V1Container container, string? command, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        Workload = workload;
        Container = container;
        Command = command;
        Arguments = arguments;
        Environment = environment;
    }

    public Workload Workload { get; }

    public V1Container Container { get; }

    /// <summary>train, worker, or whatever else the first arg is (null: none).</summary>
    public string? Command { get; }

    /// <summary>The arguments after the command word, <c>$(VAR)</c> expanded.</summary>
    public IReadOnlyList<string> Arguments { get; }

    /// <summary>Every variable the container is given, by name.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    public override string ToString() => $"{Workload} container {Container.Name}";

    /// <summary>Every container of every workload.</summary>
    public static IReadOnlyList<ContainerCommandLine> All(RenderedManifests manifests) =>
        manifests.Workloads.SelectMany(w => w.Spec.Containers.Select(c => Of(w, c, manifests))).ToList();

    public static ContainerCommandLine Of(Workload workload, V1Container container, RenderedManifests manifests)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in container.EnvFrom ?? [])
        {
            if (source.ConfigMapRef is { } reference && manifests.ConfigMap(reference.Name) is { Data: { } data })
            {
                foreach (var (name, value) in data)
                {
                    environment[(source.Prefix ?? string.Empty) + name] = value;
                }
            }
        }

        foreach (var variable in container.Env ?? [])
        {
            environment[variable.Name] = variable.ValueFrom switch
            {
                null => Expand(variable.Value ?? string.Empty, environment),
                { FieldRef: { } field } => FieldValue(field.FieldPath, workload),
                { ConfigMapKeyRef: { } key } => manifests.ConfigMap(key.Name)?.Data?.TryGetValue(key.Key, out var v) == true ? v : string.Empty,
                _ => "value-from-elsewhere",
            };
        }

        var args = (container.Args ?? []).Select(a => Expand(a, environment)).ToList();
        return new ContainerCommandLine(workload, container, args.FirstOrDefault(), args.Skip(1).ToList(), environment);
    }

    /// <summary><c>train</c>'s options for the built-in jobs (the distgrad image's program), as the program would parse them.</summary>
    public TrainOptions ParseTrain() =>
        TrainOptionsParser.Parse(Arguments, BuiltInJobs.Catalog(), ConfigurationSources.Load(null, DistGradVariables()));

    /// <summary><c>worker</c>'s options, as the program would parse them.</summary>
    public WorkerOptions ParseWorker() => WorkerOptionsParser.Parse(Arguments, ConfigurationSources.Load(null, DistGradVariables()));

    /// <summary>The network options of the node this container runs (train or worker); a <see cref="UsageException"/> when they do not parse.</summary>
    public NodeNetwork ParseNetwork() => Command switch
    {
        "train" => ParseTrain().Network,
        "worker" => ParseWorker().Network,
        _ => throw new UsageException($"'{Command}' is not a command of the program (train or worker)"),
    };

    /// <summary>
    /// Runs one of the Parse methods; false with the parser's one-line message on a usage error. (The checks are
    /// iterators, which cannot yield from a catch clause.)
    /// </summary>
    public static bool TryParse<T>(Func<T> parse, [NotNullWhen(true)] out T? options, out string error)
        where T : class
    {
        try
        {
            options = parse();
            error = string.Empty;
            return true;
        }
        catch (UsageException e)
        {
            options = null;
            error = e.Message;
            return false;
        }
    }

    /// <summary>The value an option is given, the command line first, then its DISTGRAD_ variable (null: neither).</summary>
    public string? RawOption(string option)
    {
        var last = Arguments.ToList().FindLastIndex(a => a == option);
        if (last >= 0 && last + 1 < Arguments.Count)
        {
            return Arguments[last + 1];
        }

        return Environment.TryGetValue(VariableFor(option), out var value) ? value : null;
    }

    /// <summary>The variable that sets <paramref name="option"/>: <c>--batch-size</c> is <c>DISTGRAD_BATCH_SIZE</c>.</summary>
    public static string VariableFor(string option) =>
        ConfigurationSources.EnvironmentPrefix + option.TrimStart('-').Replace('-', '_').ToUpperInvariant();

    private Dictionary<string, string> DistGradVariables() =>
        Environment.Where(v => v.Key.StartsWith(ConfigurationSources.EnvironmentPrefix, StringComparison.Ordinal)).ToDictionary();

    // Kubernetes expands $(NAME) from the variables defined before it and leaves an unknown one as it is; $$ escapes.
    private static string Expand(string text, IReadOnlyDictionary<string, string> defined) =>
        Reference().Replace(text, m => m.Value.StartsWith("$$", StringComparison.Ordinal) ? m.Value[1..]
            : defined.TryGetValue(m.Groups[1].Value, out var value) ? value : m.Value);

    private static string FieldValue(string path, Workload workload) => path switch
    {
        "status.podIP" => PodIp,
        "status.hostIP" => "10.0.0.5",
        "metadata.name" => workload.Name + "-0",
        "metadata.namespace" => workload.Namespace ?? "default",
        "spec.nodeName" => "node-1",
        "spec.serviceAccountName" => workload.Spec.ServiceAccountName ?? "default",
        _ => "field-" + path,
    };

    [GeneratedRegex(@"\$?\$\(([A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial Regex Reference();
}
