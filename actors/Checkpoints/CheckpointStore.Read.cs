namespace DistGrad.Distributed.Checkpoints;

public sealed partial class CheckpointStore
{
    /// <summary>
    /// The newest checkpoint whose checkpoint.json parses and whose every shard has the recorded size and
    /// checksum; null when there is none. Each newer step skipped is reported through
    /// <paramref name="log"/> with the reason.
    /// </summary>
    public CheckpointInfo? LatestValid(Action<string>? log = null)
    {
        var directories = CheckpointLayout.StepDirectories(Root);
        for (var i = 0; i < directories.Count; i++)
        {
            var (step, directory) = directories[i];
            var (checkpoint, problem) = Validate(step, directory);
            if (checkpoint != null)
            {
                return checkpoint;
            }

            log?.Invoke($"step {step}: {problem}; {(i + 1 < directories.Count ? "falling back" : "no earlier checkpoint")}");
        }

        return null;
    }

    /// <summary>That step's checkpoint if it is whole and intact; otherwise null, with the reason through <paramref name="log"/>.</summary>
    public CheckpointInfo? Find(long step, Action<string>? log = null)
    {
        var directory = StepDirectory(step);
        if (!Directory.Exists(directory))
        {
            log?.Invoke($"step {step}: no checkpoint directory {directory}");
            return null;
        }

        var (checkpoint, problem) = Validate(step, directory);
        if (checkpoint == null)
        {
            log?.Invoke($"step {step}: {problem}");
        }

        return checkpoint;
    }

    /// <summary>
    /// One rank's shard, its checksum verified again (a file may rot after <see cref="LatestValid"/>):
    /// <see cref="InvalidDataException"/> naming the file and the mismatch otherwise.
    /// </summary>
    public WorkerCheckpoint ReadShard(CheckpointInfo checkpoint, int rank)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var shard = checkpoint.Shards.FirstOrDefault(s => s.Rank == rank)
            ?? throw new ArgumentOutOfRangeException(nameof(rank), rank, $"the checkpoint of step {checkpoint.Step} has shards for ranks 0..{checkpoint.WorldSize - 1}");
        var path = Path.Combine(checkpoint.Directory, shard.File);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InvalidDataException($"{path}: the shard is missing", e);
        }

        if (ShardVerifier.Problem(shard, bytes) is { } problem)
        {
            throw new InvalidDataException($"{path}: {problem}");
        }

        return ShardReader.Read(bytes, checkpoint.Step, path);
    }

    /// <summary>
    /// The newest intact checkpoint for --resume DIR, where DIR is a run directory holding checkpoints/
    /// or the checkpoint directory itself; null when DIR is null, empty or holds none.
    /// </summary>
    public static CheckpointInfo? LatestValidIn(string? root, Action<string>? log = null)
    {
        if (string.IsNullOrWhiteSpace(root))
        {
            return null;
        }

        var nested = Path.Combine(root, "checkpoints");
        return new CheckpointStore(Directory.Exists(nested) ? nested : root).LatestValid(log);
    }

    /// <summary>The checkpoint in <paramref name="directory"/>, or why there is none (a manifest missing or damaged, a shard that does not match).</summary>
    private static (CheckpointInfo? Checkpoint, string? Problem) Validate(long step, string directory)
    {
        var manifest = Path.Combine(directory, CheckpointLayout.ManifestName);
        CheckpointInfo checkpoint;
        try
        {
            checkpoint = CheckpointManifest.Parse(File.ReadAllBytes(manifest), directory);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return (null, $"no {CheckpointLayout.ManifestName} (incomplete)");
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return (null, $"{CheckpointLayout.ManifestName} is unreadable: {e.Message}");
        }

        if (checkpoint.Step != step)
        {
            return (null, $"{CheckpointLayout.ManifestName} records step {checkpoint.Step}, not {step}");
        }

        foreach (var shard in checkpoint.Shards.OrderBy(s => s.Rank))
        {
            if (ShardVerifier.Problem(directory, shard) is { } problem)
            {
                return (null, problem);
            }
        }

        return (checkpoint, null);
    }
}
