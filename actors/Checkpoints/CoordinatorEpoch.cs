using System.Globalization;

namespace DistGrad.Distributed.Checkpoints;

/// <summary>
/// Fencing for the coordinators of one run directory. Each coordinator that starts (the first, a standby taking over,
/// a resumed job) claims the next epoch by creating <c>coordinator-epoch-N</c> in the checkpoint root (create-new:
/// two claims never get the same N, on shared storage too), records its epoch in every checkpoint.json it commits,
/// and checks before each commit that no newer epoch exists. A coordinator that was partitioned away and comes back
/// after its standby took over finds the standby's claim and commits nothing more.
/// </summary>
public static class CoordinatorEpoch
{
    public const string FilePrefix = "coordinator-epoch-";

    /// <summary>The key of checkpoint.json's metadata that holds the committing coordinator's epoch.</summary>
    public const string MetadataKey = "coordinator_epoch";

    /// <summary>The newest epoch claimed in <paramref name="root"/> (0: none yet).</summary>
    public static long Newest(string root)
    {
        if (!Directory.Exists(root))
        {
            return 0;
        }

        return Directory.EnumerateFiles(root, FilePrefix + "*")
            .Select(f => long.TryParse(Path.GetFileName(f).AsSpan(FilePrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0)
            .DefaultIfEmpty(0)
            .Max();
    }

    /// <summary>Claims the epoch after the newest in <paramref name="root"/> and returns it.</summary>
    public static long Claim(string root)
    {
        Directory.CreateDirectory(root);
        for (var epoch = Newest(root) + 1; ; epoch++)
        {
            try
            {
                using var claim = new FileStream(Path.Combine(root, FileName(epoch)), FileMode.CreateNew, FileAccess.Write, FileShare.None);
                return epoch;
            }
            catch (IOException) when (File.Exists(Path.Combine(root, FileName(epoch))))
            {
                // Another coordinator claimed this one a moment ago: take the next.
            }
        }
    }

    /// <summary>Throws <see cref="CoordinatorFencedException"/> when a coordinator newer than <paramref name="epoch"/> has claimed <paramref name="root"/>.</summary>
    public static void ThrowIfFenced(string root, long epoch)
    {
        var newest = Newest(root);
        if (newest > epoch)
        {
            throw new CoordinatorFencedException(
                $"a newer coordinator (epoch {newest}) has taken this run directory over; this one (epoch {epoch}) is stale and commits nothing more");
        }
    }

    private static string FileName(long epoch) => FilePrefix + epoch.ToString("D8", CultureInfo.InvariantCulture);
}

/// <summary>A coordinator found that a newer one owns its run directory (<see cref="CoordinatorEpoch"/>).</summary>
public sealed class CoordinatorFencedException(string message) : InvalidOperationException(message);
