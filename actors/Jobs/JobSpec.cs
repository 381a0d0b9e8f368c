namespace DistGrad.Distributed;

/// <summary>
/// A job's options: which job (by name), its data, layout, optimizer settings, gradient pipeline settings
/// and checkpoint policy. The coordinator sends one to every worker; each worker looks the job's code up by
/// name in its own process (<see cref="JobCatalog"/>) and builds the same replica from the two, so only
/// control messages cross the cluster. <see cref="TrainingJob.Defaults"/> gives a job's own defaults.
/// </summary>
public sealed record JobSpec
{
    /// <summary>The <see cref="TrainingJob.Name"/> of the job to run.</summary>
    public string Job { get; init; } = "mlp";

    public string Dataset { get; init; } = DatasetCatalog.Mini;

    public string DataDirectory { get; init; } = DistGrad.Data.FashionMnist.InstalledDirectory;

    /// <summary>Epochs to train when <see cref="Steps"/> is not set.</summary>
    public int Epochs { get; init; } = 1;

    /// <summary>Optimizer steps to train; wins over <see cref="Epochs"/>.</summary>
    public int? Steps { get; init; }

    /// <summary>Samples per optimizer step, over all replicas and micro-steps together.</summary>
    public int BatchSize { get; init; } = 128;

    public int MicroBatches { get; init; } = 1;

    /// <summary>Micro-steps whose gradients are accumulated before each optimizer step.</summary>
    public int AccumulationSteps { get; init; } = 1;

    public int DataParallel { get; init; } = 2;

    public int PipelineStages { get; init; } = 1;

    public string Schedule { get; init; } = "1f1b";

    /// <summary>How the model is cut into stages: "params" (balanced parameter counts), "profile" (measured forward time) or "3,2,2" (children per stage).</summary>
    public string Partition { get; init; } = "params";

    public string Optimizer { get; init; } = "sgd";

    public double LearningRate { get; init; } = 0.1;

    public double Momentum { get; init; } = 0.9;

    public double WeightDecay { get; init; }

    /// <summary>Global-norm clipping threshold; null leaves the stage out.</summary>
    public double? ClipGradNorm { get; init; }

    public double ClipNormType { get; init; } = 2.0;

    /// <summary>Value clipping threshold; null leaves the stage out.</summary>
    public double? ClipGradValue { get; init; }

    public long Seed { get; init; }

    /// <summary>Gradient bucket size for the all-reduce, in bytes (PyTorch DDP's bucket_cap_mb).</summary>
    public int BucketBytes { get; init; } = 25 * 1024 * 1024;

    /// <summary>Kernel threads each worker may use (0: all cores).</summary>
    public int ThreadsPerWorker { get; init; }

    /// <summary>How long the coordinator waits for any worker's answer, and a worker for any peer.</summary>
    public TimeSpan StepTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Write a checkpoint after every this many steps; null: none.</summary>
    public int? CheckpointEvery { get; init; }

    /// <summary>Whole checkpoints kept (the newest ones).</summary>
    public int CheckpointKeep { get; init; } = 3;

    /// <summary>Where workers write their checkpoint shards (a directory every node can reach); set by the coordinator.</summary>
    public string? CheckpointDirectory { get; init; }

    /// <summary>A file in the run directory every worker must read back before step 1 (<see cref="Checkpoints.RunDirectoryProbe"/>); set by the coordinator.</summary>
    public string? RunDirectoryProbe { get; init; }

    /// <summary>How many times a job rolls back to its last checkpoint after losing a worker before it gives up.</summary>
    public int MaxRestarts { get; init; } = 3;

    /// <summary>Evaluate test accuracy on rank 0 at the end.</summary>
    public bool Evaluate { get; init; } = true;

    /// <summary>Workers in the job: one per (stage, replica).</summary>
    public int WorldSize => DataParallel * PipelineStages;

    /// <summary>Samples each replica computes per micro-batch (the global batch split over replicas, accumulation rounds and pipeline micro-batches).</summary>
    public int MicroBatchSize => BatchSize / (DataParallel * AccumulationSteps * MicroBatches);

    /// <summary>Optimizer steps the job runs, given the training set's size.</summary>
    public int TotalSteps(int trainCount) => Steps ?? (Epochs * StepsPerEpoch(trainCount));

    /// <summary>Global batches in one pass over <paramref name="trainCount"/> samples (a last partial batch is dropped).</summary>
    public int StepsPerEpoch(int trainCount) => trainCount / BatchSize;
}
