namespace DistGrad.Optim;

/// <summary>
/// The part Adam and AdamW share: moment updates and the bias-corrected step, in PyTorch 1.13's order of
/// operations (single-tensor path), so that float32 results agree with PyTorch's to rounding.
/// </summary>
internal static class AdamUpdate
{
    public static readonly string[] StateKeys = ["step", "exp_avg", "exp_avg_sq"];

    /// <summary>
    /// One step over every parameter with a gradient. Adam adds the L2 term to the gradient; AdamW
    /// (<paramref name="decoupled"/>) shrinks the parameter by lr · weight_decay first, even when it is 0, as PyTorch does.
    /// </summary>
    public static void Step(IEnumerable<ParamGroup> groups, Func<Tensor, Dictionary<string, Tensor>> stateOf, bool decoupled)
    {
        using (Autograd.NoGrad())
        {
            foreach (var group in groups)
            {
                double lr = group["lr"], beta1 = group["beta1"], beta2 = group["beta2"], eps = group["eps"], weightDecay = group["weight_decay"];
                foreach (var param in group.Params)
                {
                    if (param.Grad is not { } grad)
                    {
                        continue;
                    }

                    var state = stateOf(param);
                    Initialize(state, param);
                    var step = CountStep(state);
                    if (decoupled)
                    {
                        param.MulInPlace(1 - (lr * weightDecay));
                    }
                    else if (weightDecay != 0)
                    {
                        grad = grad + (param * weightDecay);
                    }

                    Apply(param, grad, state, step, lr, beta1, beta2, eps);
                }
            }
        }
    }

    /// <summary>The state of a parameter at its first step: step 0 and zero moments.</summary>
    public static void Initialize(Dictionary<string, Tensor> state, Tensor param)
    {
        if (state.Count == 0)
        {
            state["step"] = Tensor.Scalar(0L);
            state["exp_avg"] = Tensor.ZerosLike(param);
            state["exp_avg_sq"] = Tensor.ZerosLike(param);
        }
    }

    /// <summary>Counts the step and returns its number (PyTorch's step_t += 1; step = step_t.item()).</summary>
    public static double CountStep(Dictionary<string, Tensor> state)
    {
        var step = state["step"];
        step.AddInPlace(1);
        return step.Item();
    }

    /// <summary>exp_avg and exp_avg_sq updated with <paramref name="grad"/>, then param.addcdiv_(exp_avg, denom, value=-step_size).</summary>
    public static void Apply(Tensor param, Tensor grad, Dictionary<string, Tensor> state, double step, double lr, double beta1, double beta2, double eps)
    {
        var expAvg = state["exp_avg"];
        var expAvgSq = state["exp_avg_sq"];

        // exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1); exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2),
        // whose kernel computes value * t1 * t2 left to right.
        expAvg.MulInPlace(beta1).AddInPlace(grad * (1 - beta1));
        expAvgSq.MulInPlace(beta2).AddInPlace(grad * (1 - beta2) * grad);

        // Bias corrections in double, as Python floats.
        var biasCorrection1 = 1 - Math.Pow(beta1, step);
        var biasCorrection2 = 1 - Math.Pow(beta2, step);
        var stepSize = lr / biasCorrection1;
        var biasCorrection2Sqrt = Math.Sqrt(biasCorrection2);

        var denom = (expAvgSq.Sqrt() / biasCorrection2Sqrt).AddInPlace(eps);

        // addcdiv_'s kernel computes value * t1 / t2 left to right.
        param.AddInPlace(expAvg * -stepSize / denom);
    }

    public static void CheckOptions(ParamGroup group)
    {
        double lr = group["lr"], eps = group["eps"], beta1 = group["beta1"], beta2 = group["beta2"], weightDecay = group["weight_decay"];
        if (!(lr >= 0))
        {
            throw new ArgumentException($"Invalid learning rate: {PyFormat.Float(lr)}");
        }

        if (!(eps >= 0))
        {
            throw new ArgumentException($"Invalid epsilon value: {PyFormat.Float(eps)}");
        }

        if (!(beta1 >= 0 && beta1 < 1))
        {
            throw new ArgumentException($"Invalid beta parameter at index 0: {PyFormat.Float(beta1)}");
        }

        if (!(beta2 >= 0 && beta2 < 1))
        {
            throw new ArgumentException($"Invalid beta parameter at index 1: {PyFormat.Float(beta2)}");
        }

        if (!(weightDecay >= 0))
        {
            throw new ArgumentException($"Invalid weight_decay value: {PyFormat.Float(weightDecay)}");
        }
    }

    public static KeyValuePair<string, double>[] Defaults(double lr, double beta1, double beta2, double eps, double weightDecay) =>
    [
        new("lr", lr),
        new("beta1", beta1),
        new("beta2", beta2),
        new("eps", eps),
        new("weight_decay", weightDecay),
    ];
}
