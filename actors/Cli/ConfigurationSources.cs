using System.CommandLine;
using Akka.Configuration;

namespace DistGrad.Distributed.Cli;

/// <summary>
/// Where a command's options come from besides its command line, in falling precedence: the command line,
/// environment variables (<c>DISTGRAD_BATCH_SIZE=64</c> is <c>--batch-size 64</c>), then a <c>--config FILE</c>
/// (HOCON: <c>distgrad.train.batch-size = 64</c>; its <c>akka { … }</c> section overrides the cluster
/// configuration), then the job's defaults.
/// </summary>
public sealed class ConfigurationSources
{
    public const string EnvironmentPrefix = "DISTGRAD_";

    private ConfigurationSources(Akka.Configuration.Config? file, IReadOnlyDictionary<string, string> environment)
    {
        File = file;
        Environment = environment;
    }

    /// <summary>The parsed --config file (null: none given).</summary>
    public Akka.Configuration.Config? File { get; }

    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>No file and no environment: the command line alone (what tests parse).</summary>
    public static ConfigurationSources None { get; } = new(null, new Dictionary<string, string>());

    /// <summary>The file at <paramref name="configFile"/> (null: none) and this process's DISTGRAD_* variables.</summary>
    public static ConfigurationSources Load(string? configFile, System.Collections.IDictionary environment)
    {
        Akka.Configuration.Config? file = null;
        if (configFile != null)
        {
            if (!System.IO.File.Exists(configFile))
            {
                throw new UsageException($"--config '{configFile}' does not exist");
            }

            try
            {
                file = ConfigurationFactory.ParseString(System.IO.File.ReadAllText(configFile));
            }
            catch (Exception e) when (e is ConfigurationException or FormatException)
            {
                throw new UsageException($"--config '{configFile}' is not valid HOCON: {e.Message.ReplaceLineEndings(" ")}");
            }
        }

        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in environment)
        {
            if (entry.Key is string key && key.StartsWith(EnvironmentPrefix, StringComparison.Ordinal) && entry.Value is string value)
            {
                variables[key] = value;
            }
        }

        return new ConfigurationSources(file, variables);
    }

    /// <summary>The Akka settings the file overrides (its <c>akka</c> section), or null.</summary>
    public Akka.Configuration.Config? AkkaOverrides => File is { } file && file.HasPath("akka") ? file : null;

    /// <summary>
    /// <paramref name="args"/> with the options the command line left out appended from the environment
    /// and the file, so that one parser checks every value the same way whatever its source.
    /// </summary>
    internal IReadOnlyList<string> Complete<T>(Command command, IReadOnlyList<CommandLineSetting<T>> settings, IReadOnlyList<string> args)
    {
        if (File == null && Environment.Count == 0)
        {
            return args;
        }

        var given = command.Parse(args.ToArray());
        var completed = args.ToList();
        foreach (var setting in settings.Where(s => !s.Given(given)))
        {
            if (Lookup(command.Name, setting.Key) is { } value)
            {
                completed.Add(setting.Option.Name);
                completed.Add(value);
            }
        }

        return completed;
    }

    private string? Lookup(string commandName, string key)
    {
        if (Environment.TryGetValue(EnvironmentPrefix + key.Replace('-', '_').ToUpperInvariant(), out var fromEnvironment))
        {
            return fromEnvironment;
        }

        var path = $"distgrad.{commandName}.{key}";
        if (File is not { } file || !file.HasPath(path))
        {
            return null;
        }

        var value = file.GetValue(path);
        return value.IsArray() ? string.Join(",", value.GetStringList()) : value.GetString();
    }
}
