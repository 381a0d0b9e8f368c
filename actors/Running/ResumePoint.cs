using DistGrad.Distributed.Checkpoints;
using DistGrad.Distributed.Coordination;

namespace DistGrad.Distributed.Running;

/// <summary>Finds where <c>train --resume DIR</c> continues from, and checks that it is this job's checkpoint.</summary>
public static class ResumePoint
{
    /// <summary>
    /// The newest whole checkpoint in <paramref name="directory"/> (a run directory or its checkpoints folder);
    /// damaged or partial ones are skipped, each with a line to <paramref name="log"/>.
    /// </summary>
    /// <remarks><paramref name="job"/>'s partition must be resolved to layer counts already, as the checkpoint records it.</remarks>
    /// <exception cref="ArgumentException">No whole checkpoint, or one written by a different job (named).</exception>
    public static (string Directory, long Step) Find(string directory, JobSpec job, Action<string> log)
    {
        var checkpoint = CheckpointStore.LatestValidIn(directory, log)
            ?? throw new ArgumentException($"--resume: no whole checkpoint in '{directory}' (was the job run with --checkpoint-every?)");
        var expected = CheckpointIdentity.Of(job);
        var mismatches = expected
            .Where(e => checkpoint.Metadata.TryGetValue(e.Key, out var saved) && saved != e.Value)
            .Select(e => $"{e.Key} {checkpoint.Metadata[e.Key]} there, {e.Value} here")
            .ToArray();
        if (mismatches.Length > 0)
        {
            throw new ArgumentException($"--resume: the checkpoint of step {checkpoint.Step} in '{directory}' belongs to another job ({string.Join("; ", mismatches)}); resume with the options it was started with");
        }

        return (Path.GetDirectoryName(checkpoint.Directory)!, checkpoint.Step);
    }
}
