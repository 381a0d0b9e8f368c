namespace DistGrad.Optim;

/// <summary>
/// Stochastic gradient descent with optional momentum, dampening, L2 weight decay and Nesterov momentum
/// (torch.optim.SGD of PyTorch 1.13, single-tensor path, step for step).
/// </summary>
public sealed class SGD : Optimizer
{
    private static readonly string[] Keys = ["momentum_buffer"];

    public SGD(IEnumerable<Tensor> parameters, double lr, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false)
        : base(parameters, MakeDefaults(lr, momentum, dampening, weightDecay, nesterov))
    {
    }

    /// <summary>Several groups; a group's own options override these.</summary>
    public SGD(IEnumerable<ParamGroup> paramGroups, double lr, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false)
        : base(paramGroups, MakeDefaults(lr, momentum, dampening, weightDecay, nesterov))
    {
    }

    protected override IReadOnlyList<string> StateKeys => Keys;

    public override void Step()
    {
        using (Autograd.NoGrad())
        {
            foreach (var group in ParamGroups)
            {
                StepGroup(group);
            }
        }
    }

    protected override void CheckOptions(ParamGroup group)
    {
        double lr = group["lr"], momentum = group["momentum"], dampening = group["dampening"], weightDecay = group["weight_decay"];
        if (!(lr >= 0))
        {
            throw new ArgumentException($"Invalid learning rate: {PyFormat.Float(lr)}");
        }

        if (!(momentum >= 0))
        {
            throw new ArgumentException($"Invalid momentum value: {PyFormat.Float(momentum)}");
        }

        if (!(weightDecay >= 0))
        {
            throw new ArgumentException($"Invalid weight_decay value: {PyFormat.Float(weightDecay)}");
        }

        if (group["nesterov"] != 0 && (momentum <= 0 || dampening != 0))
        {
            throw new ArgumentException("Nesterov momentum requires a momentum and zero dampening");
        }
    }

    private void StepGroup(ParamGroup group)
    {
        double lr = group["lr"], momentum = group["momentum"], dampening = group["dampening"], weightDecay = group["weight_decay"];
        var nesterov = group["nesterov"] != 0;
        foreach (var param in group.Params)
        {
            if (param.Grad is not { } grad)
            {
                continue;
            }

            var momentumState = momentum != 0 ? State(param) : null;
            var held = momentumState != null && momentumState.TryGetValue("momentum_buffer", out var existing) ? existing : null;
            if (SgdFused.Applies(param, grad, held))
            {
                var updated = SgdFused.Step(param, grad, held, lr, momentum, dampening, weightDecay, nesterov);
                if (momentumState != null)
                {
                    momentumState["momentum_buffer"] = updated!;
                }

                continue;
            }

            var dP = grad;
            if (weightDecay != 0)
            {
                dP = dP + (param * weightDecay);
            }

            if (momentum != 0)
            {
                var state = State(param);
                if (!state.TryGetValue("momentum_buffer", out var buf))
                {
                    // The first step starts the buffer at the gradient itself, without dampening.
                    buf = dP.Clone();
                    state["momentum_buffer"] = buf;
                }
                else
                {
                    // alpha = 1 adds plainly in PyTorch; any other alpha multiplies first.
                    buf.MulInPlace(momentum).AddInPlace(dampening == 0 ? dP : dP * (1 - dampening));
                }

                dP = nesterov ? dP + (buf * momentum) : buf;
            }

            param.AddInPlace(dP * -lr);
        }
    }

    private static KeyValuePair<string, double>[] MakeDefaults(double lr, double momentum, double dampening, double weightDecay, bool nesterov) =>
    [
        new("lr", lr),
        new("momentum", momentum),
        new("dampening", dampening),
        new("weight_decay", weightDecay),
        new("nesterov", nesterov ? 1 : 0),
    ];
}
