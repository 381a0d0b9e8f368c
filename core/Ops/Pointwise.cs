using DistGrad.Kernels;

namespace DistGrad;

/// <summary>Elementwise functions, each with its derivative beside it.</summary>
public sealed partial class Tensor
{
    public Tensor Exp()
    {
        var y = Unary(UnaryOp.Exp);
        return Graph.Record("ExpBackward0", y, [this], [y], static (n, g) => [g * n.Saved(0)]);
    }

    public Tensor Log() =>
        Graph.Record("LogBackward0", Unary(UnaryOp.Log), [this], [this], static (n, g) => [g / n.Saved(0)]);

    public Tensor Sqrt()
    {
        var y = Unary(UnaryOp.Sqrt);
        return Graph.Record("SqrtBackward0", y, [this], [y], static (n, g) => [g / (2 * n.Saved(0))]);
    }

    /// <summary>|x|; the gradient at 0 is 0, as PyTorch's.</summary>
    public Tensor Abs() =>
        Graph.Record("AbsBackward0", Kernels.Unary(UnaryOp.Abs, this), [this], [this], static (n, g) => [g * n.Saved(0).Sign()]);

    /// <summary>-1, 0 or 1 by sign; not differentiable (its gradient is zero).</summary>
    public Tensor Sign() =>
        Graph.Record("SignBackward0", Kernels.Unary(UnaryOp.Sign, this), [this], null, static (n, g) => [ZerosLike(g)]);

    public Tensor Tanh()
    {
        var y = Unary(UnaryOp.Tanh);
        return Graph.Record("TanhBackward0", y, [this], [y], static (n, g) => [g * (1 - (n.Saved(0) * n.Saved(0)))]);
    }

    public Tensor Sigmoid()
    {
        var y = Unary(UnaryOp.Sigmoid);
        return Graph.Record("SigmoidBackward0", y, [this], [y], static (n, g) => [g * n.Saved(0) * (1 - n.Saved(0))]);
    }

    /// <summary>max(x, 0); the gradient at 0 is 0, as PyTorch's.</summary>
    public Tensor Relu()
    {
        var y = Kernels.Unary(UnaryOp.Relu, this);
        return Graph.Record("ReluBackward0", y, [this], [y], static (n, g) => [g * (n.Saved(0) > 0)]);
    }

    /// <summary>Clamps into [min, max] (either bound may be omitted); the gradient passes where min ≤ x ≤ max.</summary>
    public Tensor Clamp(double? min = null, double? max = null)
    {
        if (min == null && max == null)
        {
            throw new ArgumentException("At least one of 'min' or 'max' must not be None");
        }

        var y = Kernels.Unary(UnaryOp.Clamp, this, min ?? double.NaN, max ?? double.NaN);
        return Graph.Record("ClampBackward1", y, [this], [this], (n, g) =>
        {
            var x = n.Saved(0);
            var pass = min is { } lo ? x >= lo : OnesLike(x).Bool();
            if (max is { } hi)
            {
                pass = pass.LogicalAnd(x <= hi);
            }

            return [g * pass];
        });
    }

    /// <summary>x to the power <paramref name="exponent"/>; the gradient is 0 where the exponent is 0.</summary>
    public Tensor Pow(double exponent)
    {
        if (!DType.IsFloating() && exponent == Math.Floor(exponent) && exponent < 0)
        {
            throw new ArgumentException("Integers to negative integer powers are not allowed.");
        }

        var x = exponent == Math.Floor(exponent) && !DType.IsFloating() ? this : FloatingInput();
        var y = x.DType.IsFloating()
            ? x.Kernels.Unary(UnaryOp.PowScalar, x, exponent)
            : Elementwise(BinaryOp.Pow, x, Wrap((long)exponent), x.DType);
        return Graph.Record("PowBackward0", y, [this], [this], (n, g) =>
            [exponent == 0 ? ZerosLike(g) : g * (exponent * n.Saved(0).Pow(exponent - 1))]);
    }

    /// <summary>Elementwise power with a tensor exponent (broadcasting).</summary>
    public Tensor Pow(Tensor exponent)
    {
        var dtype = TypePromotion.ResultType(this, exponent);
        var y = Elementwise(BinaryOp.Pow, this, exponent, dtype);
        return Graph.Record("PowBackward1", y, [this, exponent], [this, exponent, y], static (n, g) =>
        {
            var (x, e, y) = (n.Saved(0), n.Saved(1), n.Saved(2));
            Tensor? gx = null, ge = null;
            if (n.NeedsInputGrad(0))
            {
                // 0 where the exponent is 0, even at x = 0 where e * x^(e-1) is 0 * inf.
                gx = ZeroWhere(g * (e * x.Pow(e - 1)), e.Eq(0));
            }

            if (n.NeedsInputGrad(1))
            {
                // d/de x^e = x^e log x, taken as 0 where x = 0 and e >= 0 (PyTorch's convention).
                ge = ZeroWhere(g * (y * x.Log()), x.Eq(0).LogicalAnd(e >= 0));
            }

            return [gx, ge];
        });
    }

    /// <summary>g with the elements where <paramref name="mask"/> is true replaced by 0 (differentiable in g).</summary>
    internal static Tensor ZeroWhere(Tensor g, Tensor mask)
    {
        var keep = mask.LogicalNot();
        var masked = g.Detach().Clone();
        masked.Kernels.MaskedFill(masked, mask.BroadcastRaw(g._shape), 0);
        return Graph.Record("MaskedFillBackward0", masked, [g], [keep], static (n, gg) => [gg * n.Saved(0)]);
    }

    private Tensor Unary(UnaryOp op)
    {
        var x = FloatingInput();
        return x.Kernels.Unary(op, x);
    }
}
