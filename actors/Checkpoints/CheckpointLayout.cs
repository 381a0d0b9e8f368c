using System.Globalization;

namespace DistGrad.Distributed.Checkpoints;

/// <summary>The names inside a checkpoint root: step-00000010/{rank-00003.safetensors, checkpoint.json}.</summary>
internal static class CheckpointLayout
{
    public const string ManifestName = "checkpoint.json";
    public const string ParameterPrefix = "param/";
    public const string OptimizerPrefix = "optim/";

    private const string StepPrefix = "step-";

    // Zero-padded so a directory listing sorts by step; longer numbers still parse.
    public static string StepDirectoryName(long step) => StepPrefix + step.ToString("D8", CultureInfo.InvariantCulture);

    public static string ShardName(int rank) => "rank-" + rank.ToString("D5", CultureInfo.InvariantCulture) + ".safetensors";

    /// <summary>
    /// A name beside <paramref name="path"/> that no other writer uses: ends in .tmp, so a leftover from a
    /// crash is never mistaken for a shard or a manifest.
    /// </summary>
    public static string TemporaryName(string path) =>
        $"{path}.{Environment.ProcessId}-{Guid.NewGuid():N}.tmp";

    public static bool TryParseStep(string directoryName, out long step)
    {
        step = -1;
        return directoryName.StartsWith(StepPrefix, StringComparison.Ordinal)
            && directoryName.Length > StepPrefix.Length
            && directoryName.AsSpan(StepPrefix.Length).IndexOfAnyExceptInRange('0', '9') < 0
            && long.TryParse(directoryName.AsSpan(StepPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out step)
            && directoryName == StepDirectoryName(step); // step-10 beside step-00000010 would be the same step twice
    }

    /// <summary>The step directories under <paramref name="root"/>, newest first (none when it does not exist).</summary>
    public static IReadOnlyList<(long Step, string Directory)> StepDirectories(string root)
    {
        if (!Directory.Exists(root))
        {
            return [];
        }

        var found = new List<(long Step, string Directory)>();
        foreach (var directory in Directory.EnumerateDirectories(root))
        {
            if (TryParseStep(Path.GetFileName(directory), out var step))
            {
                found.Add((step, directory));
            }
        }

        return [.. found.OrderByDescending(d => d.Step)];
    }
}
