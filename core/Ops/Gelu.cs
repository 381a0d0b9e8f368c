namespace DistGrad;

/// <summary>The error function and the exact GELU activation, each with its derivative beside it.</summary>
public sealed partial class Tensor
{
    private const double TwoOverSqrtPi = 1.12837916709551257390;
    private const double OneOverSqrt2 = 0.70710678118654752440;
    private const double OneOverSqrt2Pi = 0.39894228040143267794;

    /// <summary>erf(x) = 2/√π ∫₀ˣ exp(−t²) dt, elementwise (integer tensors give float32); d/dx = 2/√π·exp(−x²).</summary>
    public Tensor Erf()
    {
        var x = FloatingInput();
        return Graph.Record("ErfBackward0", x.Kernels.Erf(x), [this], [this], static (n, g) =>
        {
            var x = n.Saved(0);
            return [g * (TwoOverSqrtPi * (-(x * x)).Exp())];
        });
    }

    /// <summary>
    /// GELU, exact form: x·Φ(x) = 0.5·x·(1 + erf(x/√2)), Φ the standard normal CDF (floating tensors).
    /// d/dx = Φ(x) + x·φ(x), φ the standard normal density.
    /// </summary>
    public Tensor Gelu()
    {
        if (!DType.IsFloating())
        {
            throw new NotSupportedException($"\"GeluKernelImpl\" not implemented for '{ScalarTypeName(DType)}'");
        }

        return Graph.Record("GeluBackward0", Kernels.Gelu(this), [this], [this], static (n, g) => [GeluBackward(g, n.Saved(0))]);
    }

    /// <summary>g·(Φ(x) + x·φ(x)) in one kernel; its own rule: d/dg = Φ + x·φ, d/dx = g·φ·(2 − x²).</summary>
    private static Tensor GeluBackward(Tensor grad, Tensor x)
    {
        var g = grad.DType == x.DType ? grad : grad.CastRaw(x.DType);
        var result = x.Kernels.GeluBackward(g.Detach().BroadcastRaw(x._shape), x);
        return Graph.Record("GeluBackwardBackward0", result, [grad, x], [grad, x], static (n, h) =>
        {
            var (g, x) = (n.Saved(0), n.Saved(1));
            var pdf = OneOverSqrt2Pi * (x * x * -0.5).Exp();
            Tensor? gg = null, gx = null;
            if (n.NeedsInputGrad(0))
            {
                gg = h * ((0.5 * (1 + (x * OneOverSqrt2).Erf())) + (x * pdf));
            }

            if (n.NeedsInputGrad(1))
            {
                gx = h * g * pdf * (2 - (x * x));
            }

            return [gg, gx];
        });
    }
}
