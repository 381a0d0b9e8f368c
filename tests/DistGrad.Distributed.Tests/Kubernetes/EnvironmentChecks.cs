using System.CommandLine;
using DistGrad.Distributed.Cli;
using k8s.Models;

namespace DistGrad.Distributed.Tests.Kubernetes;

/// <summary>
/// The program reads DISTGRAD_&lt;OPTION&gt; variables (and the runtime DOTNET_* ones), nothing else: every variable a
/// container is given — its env and the keys of the ConfigMaps it takes through envFrom — must be one of those for
/// the command it runs, or it is a typo the program silently ignores. The ConfigMaps referenced must exist, and
/// service links (which would add DISTGRAD_…_PORT variables for a Service named distgrad-…) must be off.
/// </summary>
internal static class EnvironmentChecks
{
    public static IEnumerable<string> Problems(RenderedManifests manifests)
    {
        foreach (var workload in manifests.Workloads.Where(w => w.Spec.EnableServiceLinks != false))
        {
            yield return $"{workload} leaves enableServiceLinks on: Services' variables would mix with the DISTGRAD_* options";
        }

        foreach (var line in ContainerCommandLine.All(manifests))
        {
            var allowed = SettableVariables(line.Command);
            foreach (var source in line.Container.EnvFrom ?? [])
            {
                if (source.ConfigMapRef is not { } reference)
                {
                    yield return $"{line}: envFrom takes something other than a ConfigMap, whose keys cannot be checked";
                }
                else if (manifests.ConfigMap(reference.Name) is not { } map)
                {
                    yield return $"{line}: envFrom names ConfigMap '{reference.Name}', which is not one of these manifests";
                }
                else
                {
                    foreach (var key in (map.Data ?? new Dictionary<string, string>()).Keys)
                    {
                        if (!Readable(source.Prefix + key, allowed))
                        {
                            yield return $"{line}: ConfigMap {reference.Name}'s {source.Prefix}{key} is no option of '{line.Command}' ({Hint(allowed)})";
                        }
                    }
                }
            }

            foreach (var variable in line.Container.Env ?? [])
            {
                if (!Readable(variable.Name, allowed))
                {
                    yield return $"{line}: env {variable.Name} is no option of '{line.Command}' ({Hint(allowed)})";
                }

                if (variable.ValueFrom?.ConfigMapKeyRef is { } key && manifests.ConfigMap(key.Name)?.Data?.ContainsKey(key.Key) != true && key.Optional != true)
                {
                    yield return $"{line}: env {variable.Name} takes key {key.Key} of ConfigMap {key.Name}, which these manifests do not have";
                }
            }
        }
    }

    /// <summary>
    /// The variables <paramref name="command"/> reads: DISTGRAD_ and each option's name. --job-assembly, --config
    /// and --print-config are read from the command line alone (ConfigurationSources completes the parser's
    /// settings only), so a variable for them would be ignored.
    /// </summary>
    public static IReadOnlySet<string> SettableVariables(string? command)
    {
        Command? parsed = command switch
        {
            "train" => TrainOptionsParser.CreateCommand(),
            "worker" => WorkerOptionsParser.CreateCommand(),
            _ => null,
        };
        string[] commandLineOnly = [TrainOptionsParser.JobAssemblyOption().Name, TrainOptionsParser.ConfigOption().Name, TrainOptionsParser.PrintConfigOption().Name];
        return (parsed?.Options ?? []).Select(o => o.Name).Except(commandLineOnly).Select(ContainerCommandLine.VariableFor).ToHashSet(StringComparer.Ordinal);
    }

    private static bool Readable(string name, IReadOnlySet<string> allowed) =>
        allowed.Contains(name) || name.StartsWith("DOTNET_", StringComparison.Ordinal);

    private static string Hint(IReadOnlySet<string> allowed) =>
        allowed.Count == 0 ? "not a command of the program" : "it reads DISTGRAD_<OPTION> for its options (docs/CLI.md) and DOTNET_*";
}
