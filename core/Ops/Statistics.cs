using DistGrad.Kernels;

namespace DistGrad;

/// <summary>Variance and standard deviation of all elements (Bessel-corrected by default, as PyTorch).</summary>
public sealed partial class Tensor
{
    public Tensor Var(bool unbiased = true)
    {
        var (centered, denominator) = Centered(unbiased);
        var result = (centered * centered).Sum().Detach() / denominator;
        return Graph.Record("VarBackward0", result, [this], [this], (n, g) =>
        {
            var x = n.Saved(0);
            return [g * 2 * (x - x.Mean()) / denominator];
        });
    }

    public Tensor Std(bool unbiased = true)
    {
        var (centered, denominator) = Centered(unbiased);
        var result = ((centered * centered).Sum().Detach() / denominator).Sqrt();
        return Graph.Record("StdBackward0", result, [this], [this, result], (n, g) =>
        {
            var (x, std) = (n.Saved(0), n.Saved(1));
            return [ZeroWhere(g / (std * denominator), std.Eq(0)) * (x - x.Mean())];
        });
    }

    /// <summary>x − mean (no history) and the divisor n − 1 (or n).</summary>
    private (Tensor Centered, double Denominator) Centered(bool unbiased)
    {
        CheckMeanDType();
        var x = Detach();
        return (x - x.Mean(), Math.Max(unbiased ? Numel - 1 : Numel, 0));
    }

    /// <summary>
    /// NaN, +inf and −inf replaced by <paramref name="nan"/>, <paramref name="posinf"/> and <paramref name="neginf"/>
    /// (by default 0 and the dtype's largest and lowest finite values); the gradient passes only where x is finite.
    /// </summary>
    public Tensor NanToNum(double nan = 0, double? posinf = null, double? neginf = null)
    {
        if (!DType.IsFloating())
        {
            return Clone();
        }

        var (max, min) = DType == DType.Float32 ? (float.MaxValue, float.MinValue) : (double.MaxValue, double.MinValue);
        var result = Detach().Clone();
        result.Kernels.MaskedFill(result, IsNan(), nan);
        result.Kernels.MaskedFill(result, Detach().Eq(double.PositiveInfinity), posinf ?? max);
        result.Kernels.MaskedFill(result, Detach().Eq(double.NegativeInfinity), neginf ?? min);
        return Graph.Record("NanToNumBackward0", result, [this], [this], static (n, g) => [g * n.Saved(0).IsFinite()]);
    }

    /// <summary>Bool: which elements are neither NaN nor infinite.</summary>
    public Tensor IsFinite() => DType.IsFloating()
        ? IsNan().LogicalOr(Detach().Abs().Eq(double.PositiveInfinity)).LogicalNot()
        : Kernels.Unary(UnaryOp.Not, Kernels.Unary(UnaryOp.IsNan, this));
}
