using System.Globalization;
using DistGrad.Distributed.Checkpoints;

namespace DistGrad.Distributed.Training;

/// <summary>A worker's part of a checkpoint: what it writes after a step and how it resumes from one.</summary>
public sealed partial class ReplicaTrainer
{
    /// <summary>The next optimizer step this worker will run (= steps completed).</summary>
    public long NextStep => _nextStep;

    /// <summary>
    /// Writes this worker's shard of the checkpoint taken after <see cref="NextStep"/> steps: parameters,
    /// optimizer state and the sampler position. The sampler is a pure function of (seed, epoch, step) —
    /// the batches of every step are drawn from the seed, never from a running generator — so the step
    /// number is its whole state, and resuming there replays exactly the batches an unbroken run takes.
    /// </summary>
    public ShardInfo WriteCheckpoint(CheckpointStore store)
    {
        var metadata = new Dictionary<string, string>
        {
            ["step"] = _nextStep.ToString(CultureInfo.InvariantCulture),
            ["sampler_epoch"] = _plan.EpochOf(_nextStep).ToString(CultureInfo.InvariantCulture),
            ["sampler_step_in_epoch"] = (_nextStep % _plan.StepsPerEpoch).ToString(CultureInfo.InvariantCulture),
            ["seed"] = _spec.Seed.ToString(CultureInfo.InvariantCulture),
            ["rank"] = Rank.ToString(CultureInfo.InvariantCulture),
            ["stage"] = Stage.ToString(CultureInfo.InvariantCulture),
            ["replica"] = _shape.Replica.ToString(CultureInfo.InvariantCulture),
            ["job"] = _spec.Job,
        };
        return store.WriteShard(_nextStep, Rank, WorkerState.Capture(_nextStep, NamedParameters, Optimizer, metadata));
    }

    /// <summary>Loads this worker's shard of <paramref name="checkpoint"/> and continues from its step.</summary>
    public void Restore(CheckpointStore store, CheckpointInfo checkpoint)
    {
        var shard = store.ReadShard(checkpoint, Rank);
        if (shard.Metadata.TryGetValue("seed", out var seed) && seed != _spec.Seed.ToString(CultureInfo.InvariantCulture))
        {
            throw new InvalidDataException($"the checkpoint of step {checkpoint.Step} was written by a job with seed {seed}, this job's seed is {_spec.Seed}");
        }

        // An LR scheduler is a pure function of the steps taken: replaying them brings it (and the optimizer's
        // LR, which the restored optimizer state then overwrites with the same value) to the checkpoint's step.
        for (var i = _nextStep; i < checkpoint.Step; i++)
        {
            Scheduler?.Step();
        }

        WorkerState.Restore(shard, NamedParameters, Optimizer);
        _nextStep = checkpoint.Step;
    }
}
