using DistGrad;
using DistGrad.Distributed;
using DistGrad.Distributed.Gradients;
using DistGrad.Nn;

namespace ResidualSpirals;

/// <summary>A job the catalog does not have: a residual MLP on generated spirals, with its own loss and a gradient hook.</summary>
public static class SpiralJob
{
    private const int Arms = 3;

    /// <summary>Non-finite gradients this worker's hook zeroed (a real run watches this in its logs).</summary>
    public static long ZeroedGradients => Interlocked.Read(ref _zeroed);

    private static long _zeroed;

    public static TrainingJob Job { get; } = new("residual-spirals")
    {
        Description = "residual MLP (2 blocks) on 3 generated spiral arms, label-smoothed loss, a non-finite-gradient guard",
        Defaults = new JobSpec { BatchSize = 128, Epochs = 20, DataParallel = 2, Optimizer = "adam", LearningRate = 0.01, Seed = 7, ClipGradNorm = 5.0 },
        Model = ctx => new Sequential(
            new Linear(2, 64, generator: ctx.Generator),
            new ResidualBlock(64, 128, ctx.Generator),
            new ResidualBlock(64, 128, ctx.Generator),
            new ReLU(),
            new Linear(64, Arms, generator: ctx.Generator)),
        // The seed makes every worker draw the same points; each reads only its slices of every batch.
        TrainingData = ctx => Spirals.Generate(3072, Arms, ctx.Spec.Seed),
        TestData = ctx => Spirals.Generate(768, Arms, ctx.Spec.Seed + 1),
        Loss = (logits, target) => LabelSmoothedCrossEntropy(logits, target, smoothing: 0.1),
        // Before the all-reduce, on this replica's own gradients: one worker's overflow must not poison every replica.
        BeforeAllReduce = [_ => new GradientHooks(ZeroNonFinite, "ZeroNonFinite")],
    };

    /// <summary>(1 − ε)·NLL + ε·mean(−log p): cross-entropy against targets smoothed towards the uniform distribution.</summary>
    public static Tensor LabelSmoothedCrossEntropy(Tensor logits, Tensor target, double smoothing)
    {
        var logProbs = logits.LogSoftmax(1);
        var nll = Functional.NllLoss(logProbs, target);
        var uniform = logProbs.Mean(1).Neg().Mean();
        return (nll * (1 - smoothing)) + (uniform * smoothing);
    }

    private static Tensor? ZeroNonFinite(string name, Tensor grad)
    {
        if (grad.IsFinite().All().Item() != 0)
        {
            return null;
        }

        Interlocked.Increment(ref _zeroed);
        return grad.NanToNum(0, 0, 0);
    }
}
