namespace DistGrad;

/// <summary>Gradient clipping (torch.nn.utils.clip_grad_norm_ / clip_grad_value_), in place on each Grad.</summary>
public static class ClipGrad
{
    /// <summary>
    /// Scales all gradients together so that their total p-norm is at most <paramref name="maxNorm"/>;
    /// returns the total norm before clipping. Tensors whose Grad is null are skipped.
    /// </summary>
    public static Tensor Norm(IEnumerable<Tensor> parameters, double maxNorm, double normType = 2.0, bool errorIfNonfinite = false)
    {
        if (double.IsNaN(normType) || normType < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(normType), normType, "normType must be 0, a positive number or infinity");
        }

        var grads = parameters.Select(p => p.Grad).OfType<Tensor>().ToArray();
        if (grads.Length == 0)
        {
            return Tensor.Scalar(0f);
        }

        using (Autograd.NoGrad())
        {
            var total = TotalNorm(grads, normType);
            if (errorIfNonfinite && (double.IsNaN(total.Item()) || double.IsInfinity(total.Item())))
            {
                throw new InvalidOperationException(
                    $"The total norm of order {normType} for gradients from `parameters` is non-finite, so it cannot be clipped. " +
                    "To disable this error and scale the gradients by the non-finite norm anyway, set errorIfNonfinite: false");
            }

            // PyTorch's formula, in float32 like the norm: the 1e-6 keeps a zero norm from dividing by zero.
            var clipCoef = (Tensor.Scalar(maxNorm).To(total.DType) / (total + 1e-6)).Clamp(max: 1.0);
            foreach (var g in grads)
            {
                g.MulInPlace(clipCoef.To(g.DType));
            }

            return total;
        }
    }

    /// <summary>Clamps every gradient element into [-clipValue, clipValue].</summary>
    public static void Value(IEnumerable<Tensor> parameters, double clipValue)
    {
        using (Autograd.NoGrad())
        {
            foreach (var p in parameters)
            {
                p.Grad?.ClampInPlace(-clipValue, clipValue);
            }
        }
    }

    /// <summary>The norm of the per-tensor norms (the max for infinity), each tensor counted once.</summary>
    internal static Tensor TotalNorm(IReadOnlyList<Tensor> grads, double normType)
    {
        if (double.IsPositiveInfinity(normType))
        {
            var maxima = grads.Select(g => g.Detach().Abs().Max()).ToArray();
            return maxima.Length == 1 ? maxima[0] : Tensor.Stack(maxima).Max();
        }

        var norms = grads.Select(g => g.Detach().Norm(normType)).ToArray(); // Stack promotes mixed dtypes, as torch.stack
        return Tensor.Stack(norms).Norm(normType);
    }
}
