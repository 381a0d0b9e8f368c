using DistGrad.Distributed.Collectives;
using DistGrad.Optim;

namespace DistGrad.Distributed.Gradients;

/// <summary>What the gradient processors of one optimizer step work on, and what they report back.</summary>
public sealed class GradientContext
{
    public GradientContext(
        long step, IReadOnlyList<(string Name, Tensor Parameter)> parameters, Optimizer optimizer,
        ProcessGroup dataParallelGroup, ProcessGroup modelGroup, int rank = 0, LRScheduler? scheduler = null)
    {
        Step = step;
        Rank = rank;
        Scheduler = scheduler;
        Parameters = parameters;
        Optimizer = optimizer;
        DataParallelGroup = dataParallelGroup;
        ModelGroup = modelGroup;
    }

    /// <summary>The optimizer step these gradients belong to (0-based).</summary>
    public long Step { get; }

    /// <summary>The worker's rank in the job.</summary>
    public int Rank { get; }

    /// <summary>The job's LR scheduler on this worker, stepped by <see cref="OptimizerStep"/> (null: none).</summary>
    public LRScheduler? Scheduler { get; }

    /// <summary>This worker's parameters by module path, in the model's order.</summary>
    public IReadOnlyList<(string Name, Tensor Parameter)> Parameters { get; }

    public Optimizer Optimizer { get; }

    /// <summary>The replicas of this worker's shard: the all-reduce averages across them.</summary>
    public ProcessGroup DataParallelGroup { get; }

    /// <summary>The workers that together hold one whole replica: the global norm sums across them.</summary>
    public ProcessGroup ModelGroup { get; }

    /// <summary>The global gradient norm before clipping, once a norm processor has measured it.</summary>
    public double? GradNorm { get; set; }

    /// <summary>Bytes this worker sent in collectives during the processors.</summary>
    public long BytesAllReduced { get; set; }
}
