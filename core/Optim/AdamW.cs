namespace DistGrad.Optim;

/// <summary>
/// AdamW (torch.optim.AdamW of PyTorch 1.13, single-tensor path, without amsgrad): weight decay is
/// decoupled, shrinking the parameter by lr · weight_decay before the Adam step, not entering the moments.
/// </summary>
public sealed class AdamW : Optimizer
{
    public AdamW(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 1e-2)
        : base(parameters, AdamUpdate.Defaults(lr, beta1, beta2, eps, weightDecay))
    {
    }

    /// <summary>Several groups; a group's own options override these.</summary>
    public AdamW(IEnumerable<ParamGroup> paramGroups, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 1e-2)
        : base(paramGroups, AdamUpdate.Defaults(lr, beta1, beta2, eps, weightDecay))
    {
    }

    protected override IReadOnlyList<string> StateKeys => AdamUpdate.StateKeys;

    public override void Step() => AdamUpdate.Step(ParamGroups, State, decoupled: true);

    protected override void CheckOptions(ParamGroup group) => AdamUpdate.CheckOptions(group);
}
