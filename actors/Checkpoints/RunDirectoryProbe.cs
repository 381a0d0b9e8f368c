using System.Security.Cryptography;

namespace DistGrad.Distributed.Checkpoints;

/// <summary>
/// Proves that a worker sees the coordinator's run directory, where it writes checkpoint shards: the
/// coordinator writes a file with a random name and content before the job starts, and every worker reads it
/// back before step 1. A node that mounted other storage (or none) at the same path fails the job at start,
/// named, instead of writing shards nobody will find.
/// </summary>
public static class RunDirectoryProbe
{
    private const string Folder = ".probes";

    /// <summary>Writes a new probe under <paramref name="runDirectory"/>; returns its path (for <see cref="JobSpec.RunDirectoryProbe"/>).</summary>
    public static string Write(string runDirectory)
    {
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var directory = Path.Combine(runDirectory, Folder);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, token);
        File.WriteAllText(path, token);
        return path;
    }

    /// <summary>Removes a probe once the job has ended (a missing one is fine).</summary>
    public static void Remove(string path)
    {
        try
        {
            File.Delete(path);
            var folder = Path.GetDirectoryName(path)!;
            if (!Directory.EnumerateFileSystemEntries(folder).Any())
            {
                Directory.Delete(folder);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The probe is a few bytes in a hidden folder; failing to tidy it must not fail a finished job.
        }
    }

    /// <summary>Null when this process sees the probe at <paramref name="path"/> (or there is none to see), else what is wrong.</summary>
    public static string? Problem(string? path)
    {
        if (path == null)
        {
            return null;
        }

        var runDirectory = Path.GetDirectoryName(Path.GetDirectoryName(path));
        const string Shared = "the run directory (--out) must be storage every node mounts at the same path: a ReadWriteMany volume, NFS";
        try
        {
            var content = File.ReadAllText(path);
            return content == Path.GetFileName(path)
                ? null
                : $"cannot see the coordinator's run directory {runDirectory}: its probe file {path} holds something else; {Shared}";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot see the coordinator's run directory {runDirectory}: its probe file {path} is not readable here ({e.Message}); {Shared}";
        }
    }
}
