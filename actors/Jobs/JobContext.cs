namespace DistGrad.Distributed;

/// <summary>What a job's factories know about where they run: the options, the worker's place in the layout, its device.</summary>
public sealed class JobContext
{
    private Generator? _generator;

    public JobContext(JobSpec spec, int rank = 0, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Spec = spec;
        Rank = rank;
        Device = device ?? Device.Cpu;
    }

    /// <summary>The job's effective options (its defaults with the command line applied).</summary>
    public JobSpec Spec { get; }

    /// <summary>The worker's rank (0 on the coordinator).</summary>
    public int Rank { get; }

    /// <summary>The worker's pipeline stage.</summary>
    public int Stage => Rank % Spec.PipelineStages;

    /// <summary>The worker's replica (its index in its data-parallel group).</summary>
    public int Replica => Rank / Spec.PipelineStages;

    public int WorldSize => Spec.WorldSize;

    /// <summary>Where the worker's parameters live. Models are built on the CPU and moved there afterwards.</summary>
    public Device Device { get; }

    /// <summary>
    /// A generator seeded with the job's seed, the same on every worker: draw the model's parameters (and any
    /// generated data) from it so that every replica builds the same thing.
    /// </summary>
    public Generator Generator => _generator ??= new Generator(Spec.Seed);
}
