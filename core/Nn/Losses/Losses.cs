namespace DistGrad.Nn;

/// <summary>Log-softmax and negative log-likelihood in one (torch.nn.CrossEntropyLoss); class targets as Int64.</summary>
public sealed class CrossEntropyLoss(string reduction = "mean", long ignoreIndex = -100) : Loss(reduction)
{
    public long IgnoreIndex { get; } = ignoreIndex;

    protected override Tensor Compute(Tensor input, Tensor target) => Functional.CrossEntropy(input, target, Reduction, IgnoreIndex);
}

/// <summary>Negative log-likelihood of log-probabilities at the target classes.</summary>
public sealed class NLLLoss(string reduction = "mean", long ignoreIndex = -100) : Loss(reduction)
{
    public long IgnoreIndex { get; } = ignoreIndex;

    protected override Tensor Compute(Tensor input, Tensor target) => Functional.NllLoss(input, target, Reduction, IgnoreIndex);
}

/// <summary>Squared error.</summary>
public sealed class MSELoss(string reduction = "mean") : Loss(reduction)
{
    protected override Tensor Compute(Tensor input, Tensor target) => Functional.MSELoss(input, target, Reduction);
}
