namespace DistGrad.Distributed.Checkpoints;

/// <summary>
/// Training checkpoints under one root, one directory per step: each worker writes its shard
/// (<see cref="WriteShard"/>), then the coordinator writes the step's checkpoint.json
/// (<see cref="Commit"/>). Every file is written under a temporary name and renamed, and the manifest
/// comes last, so a checkpoint is either whole or absent; its XxHash128 checksums catch a shard damaged
/// afterwards, or one a machine crash left partly written (shards are not fsynced; the manifest is).
/// Workers in several processes may share the root (one machine or a shared filesystem).
/// </summary>
public sealed partial class CheckpointStore
{
    /// <param name="root">The checkpoint directory, e.g. &lt;run dir&gt;/checkpoints; created on the first write.</param>
    /// <param name="keep">How many whole checkpoints <see cref="Commit"/> leaves (the newest ones).</param>
    public CheckpointStore(string root, int keep = 3)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        Root = Path.GetFullPath(root);
        Keep = keep;
    }

    public string Root { get; }

    public int Keep { get; }

    /// <summary>root/step-00000010: zero-padded so the names sort by step.</summary>
    public string StepDirectory(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        return Path.Combine(Root, CheckpointLayout.StepDirectoryName(step));
    }

    /// <summary>
    /// Writes step dir/rank-00003.safetensors: tensors "param/&lt;name&gt;" and "optim/&lt;key&gt;", the metadata in
    /// the header's __metadata__; flushed to the operating system (not fsynced) and renamed into place. Returns what
    /// <see cref="Commit"/> needs to record about it.
    /// </summary>
    public ShardInfo WriteShard(long step, int rank, WorkerCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        if (checkpoint.Step != step)
        {
            throw new ArgumentException($"the checkpoint is of step {checkpoint.Step}, not step {step}", nameof(checkpoint));
        }

        var tensors = ShardTensors(checkpoint);
        var metadata = checkpoint.Metadata ?? throw new ArgumentException("the checkpoint's metadata is null", nameof(checkpoint));
        if (metadata.FirstOrDefault(m => m.Value == null) is { Key: { } nullKey })
        {
            throw new ArgumentException($"metadata \"{nullKey}\" is null; shard metadata values are strings", nameof(checkpoint));
        }

        var directory = StepDirectory(step);
        Directory.CreateDirectory(directory);
        var name = CheckpointLayout.ShardName(rank);
        var path = Path.Combine(directory, name);
        var temporary = CheckpointLayout.TemporaryName(path);
        try
        {
            var (checksum, bytes) = ShardWriter.Write(temporary, tensors, metadata);
            File.Move(temporary, path, overwrite: true);
            return new ShardInfo(rank, name, checksum, bytes);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>
    /// Writes step dir/checkpoint.json (temporary name, fsync, rename): the step, the world size, each
    /// rank's shard and <paramref name="metadata"/> (e.g. the job spec and layout). Call it after every
    /// rank's <see cref="WriteShard"/> returned. Then deletes whole checkpoints beyond the newest
    /// <see cref="Keep"/>, and step directories without a manifest older than the newest whole one.
    /// </summary>
    public void Commit(long step, int worldSize, IReadOnlyList<ShardInfo> shards, IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(shards);
        ArgumentNullException.ThrowIfNull(metadata);
        var directory = StepDirectory(step);
        CheckpointManifest.CheckShards(worldSize, shards);
        foreach (var shard in shards)
        {
            // A cheap check that the ranks wrote where this commit says; the full hash is the reader's job.
            var file = new FileInfo(Path.Combine(directory, shard.File));
            if (!file.Exists || file.Length != shard.Bytes)
            {
                throw new InvalidOperationException($"step {step}: rank {shard.Rank}'s {shard.File} is {(file.Exists ? $"{file.Length} bytes, not the {shard.Bytes} its ShardInfo records" : "not there")}; was it written to this store?");
            }
        }

        var path = Path.Combine(directory, CheckpointLayout.ManifestName);
        var temporary = CheckpointLayout.TemporaryName(path);
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                file.Write(CheckpointManifest.Serialize(step, worldSize, shards, metadata));
                // The commit point, so it alone is fsynced: a few kilobytes, cheap where a shard's fsync was
                // not. A shard a machine crash left short of the disk fails its checksum and reads as corrupt.
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }

        CheckpointRetention.Prune(Root, Keep);
    }

    /// <summary>The tensors of a shard, named "param/…" then "optim/…", each on the CPU and contiguous.</summary>
    private static List<(string Name, Tensor Tensor)> ShardTensors(WorkerCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint.Parameters);
        ArgumentNullException.ThrowIfNull(checkpoint.OptimizerState);
        var tensors = new List<(string Name, Tensor Tensor)>(checkpoint.Parameters.Count + checkpoint.OptimizerState.Count);
        foreach (var (prefix, group) in new[] { (CheckpointLayout.ParameterPrefix, checkpoint.Parameters), (CheckpointLayout.OptimizerPrefix, checkpoint.OptimizerState) })
        {
            foreach (var (name, tensor) in group)
            {
                tensors.Add((prefix + name, ShardWriter.Prepare(tensor ?? throw new ArgumentException($"tensor \"{prefix}{name}\" is null", nameof(checkpoint)))));
            }
        }

        return tensors;
    }
}
