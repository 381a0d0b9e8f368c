namespace DistGrad.Optim;

/// <summary>
/// Adam (torch.optim.Adam of PyTorch 1.13, single-tensor path, without amsgrad): weight decay is an L2
/// penalty added to the gradient before the moments see it.
/// </summary>
public sealed class Adam : Optimizer
{
    public Adam(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0)
        : base(parameters, AdamUpdate.Defaults(lr, beta1, beta2, eps, weightDecay))
    {
    }

    /// <summary>Several groups; a group's own options override these.</summary>
    public Adam(IEnumerable<ParamGroup> paramGroups, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0)
        : base(paramGroups, AdamUpdate.Defaults(lr, beta1, beta2, eps, weightDecay))
    {
    }

    protected override IReadOnlyList<string> StateKeys => AdamUpdate.StateKeys;

    public override void Step() => AdamUpdate.Step(ParamGroups, State, decoupled: false);

    protected override void CheckOptions(ParamGroup group) => AdamUpdate.CheckOptions(group);
}
