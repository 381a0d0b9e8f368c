namespace DistGrad.Distributed.Checkpoints;

/// <summary>
/// Deletes what a checkpoint root no longer needs after a commit: whole checkpoints beyond the newest
/// <c>keep</c>, and step directories without a manifest that are older than the newest whole one (the
/// leftovers of an interrupted write; a newer one may still be being written).
/// </summary>
internal static class CheckpointRetention
{
    public static void Prune(string root, int keep)
    {
        var directories = CheckpointLayout.StepDirectories(root);
        var whole = directories.Where(d => File.Exists(Path.Combine(d.Directory, CheckpointLayout.ManifestName))).ToList();
        if (whole.Count == 0)
        {
            return;
        }

        var newestWhole = whole[0].Step;
        foreach (var (_, directory) in whole.Skip(keep))
        {
            Delete(directory);
        }

        foreach (var (_, directory) in directories.Where(d => d.Step < newestWhole && !whole.Contains(d)))
        {
            Delete(directory);
        }
    }

    private static void Delete(string directory)
    {
        try
        {
            // The manifest goes first: a directory whose deletion is cut short reads as incomplete, not as corrupt.
            File.Delete(Path.Combine(directory, CheckpointLayout.ManifestName));
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: an old checkpoint left behind costs disk, not correctness; the next commit tries again.
        }
    }
}
