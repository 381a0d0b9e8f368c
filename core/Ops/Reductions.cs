using DistGrad.Kernels;

namespace DistGrad;

/// <summary>Sums, means, extrema and norms, with their backward rules.</summary>
public sealed partial class Tensor
{
    /// <summary>Sum of all elements (Int64 for integer and bool tensors).</summary>
    public Tensor Sum()
    {
        var result = ReduceRaw(ReduceOp.Sum, AllDims(), keepDim: false);
        return Graph.Record("SumBackward0", result, [this], null, static (n, g) => [g.Expand(n.InputShape(0))]);
    }

    public Tensor Sum(int dim, bool keepDim = false) => Sum([dim], keepDim);

    /// <summary>Sum over several dims.</summary>
    public Tensor Sum(int[] dims, bool keepDim = false)
    {
        var ds = NormalizeDims(dims);
        var result = ReduceRaw(ReduceOp.Sum, ds, keepDim);
        return Graph.Record("SumBackward1", result, [this], null, (n, g) => [Unreduce(g, ds, keepDim, n.InputShape(0))]);
    }

    /// <summary>Mean of all elements (floating tensors only).</summary>
    public Tensor Mean()
    {
        CheckMeanDType();
        var result = ReduceRaw(ReduceOp.Sum, AllDims(), keepDim: false).Detach() / Math.Max(Numel, 0);
        return Graph.Record("MeanBackward0", result, [this], null, static (n, g) => [g.Expand(n.InputShape(0)) / Shapes.Numel(n.InputShape(0))]);
    }

    public Tensor Mean(int dim, bool keepDim = false) => Mean([dim], keepDim);

    public Tensor Mean(int[] dims, bool keepDim = false)
    {
        CheckMeanDType();
        var ds = NormalizeDims(dims);
        var count = ds.Aggregate(1, (acc, d) => acc * _shape[d]);
        var result = ReduceRaw(ReduceOp.Sum, ds, keepDim) / count;
        return Graph.Record("MeanBackward1", result, [this], null, (n, g) => [Unreduce(g, ds, keepDim, n.InputShape(0)) / count]);
    }

    /// <summary>The largest element; the gradient is split evenly among ties, as PyTorch's.</summary>
    public Tensor Max() => Extremum(ReduceOp.Max, "MaxBackward1");

    /// <summary>The smallest element; the gradient is split evenly among ties.</summary>
    public Tensor Min() => Extremum(ReduceOp.Min, "MinBackward1");

    private Tensor Extremum(ReduceOp op, string name)
    {
        if (Numel == 0)
        {
            throw new ArgumentException($"{op.ToString().ToLowerInvariant()}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.");
        }

        var result = ReduceRaw(op, AllDims(), keepDim: false);
        return Graph.Record(name, result, [this], [this, result], static (n, g) => [EvenlyDistribute(g, n.Saved(0), n.Saved(1))]);
    }

    private static Tensor EvenlyDistribute(Tensor grad, Tensor input, Tensor value)
    {
        var mask = input.Eq(value.Detach());
        return grad / mask.Sum() * mask;
    }

    /// <summary>Indices of the largest values along <paramref name="dim"/> (Int64; the first among ties).</summary>
    public Tensor ArgMax(int dim, bool keepDim = false)
    {
        var d = Shapes.NormalizeDim(dim, Dim);
        var max = ReduceRaw(ReduceOp.Max, [d], keepDim: true);
        var size = _shape[d];
        var positionShape = Enumerable.Repeat(1, Dim).ToArray();
        positionShape[d] = size;

        // Among the positions that hold the max, the smallest index: encode "not max" as size. A NaN is the max
        // of its slice (as in torch) but equals nothing, so NaN positions count as hits too: where the max is a
        // number the slice holds no NaN, and where it is NaN the first NaN wins.
        var positions = Arange(0L, size).To(Device).Reshape(positionShape);
        var hits = Elementwise(BinaryOp.Or, Detach().Eq(max), IsNan(), DType.Bool);
        var encoded = Elementwise(BinaryOp.Sub, positions, Wrap((long)size), DType.Int64) * hits + size;
        var first = encoded.ReduceRaw(ReduceOp.Min, [d], keepDim);
        return first;
    }

    /// <summary>Vector p-norm of all elements (p = 2 by default; 1, any p &gt; 0, 0 and infinity too).</summary>
    public Tensor Norm(double p = 2)
    {
        var x = FloatingInput().Detach();
        Tensor result;
        using (Autograd.NoGrad())
        {
            result = p switch
            {
                0 => x.Ne(0).Sum().To(x.DType),
                1 => x.Abs().Sum(),
                2 => (x * x).Sum().Sqrt(),
                double.PositiveInfinity => x.Abs().Max(),
                _ => x.Abs().Pow(p).Sum().Pow(1 / p),
            };
        }

        return Graph.Record("NormBackward1", result, [this], [this, result], (n, g) => [NormBackward(g, n.Saved(0), n.Saved(1), p)]);
    }

    private static Tensor NormBackward(Tensor g, Tensor x, Tensor norm, double p) => p switch
    {
        0 => ZerosLike(x),
        1 => g * x.Sign(),
        2 => ZeroWhere(g * x / norm, norm.Eq(0).Expand(x._shape)),
        double.PositiveInfinity => EvenlyDistribute(g, x.Abs(), norm) * x.Sign(),
        // PyTorch's norm_backward: |x|^(p-2) is infinite at 0 for p < 2, so use sign(x)·|x|^(p-1) there.
        < 1 => ZeroWhere(x.Sign() * x.Abs().Pow(p - 1), x.Eq(0)) * g * norm.Pow(1 - p),
        < 2 => x.Sign() * x.Abs().Pow(p - 1) * ZeroWhere(g / norm.Pow(p - 1), norm.Eq(0)),
        _ => x * x.Abs().Pow(p - 2) * ZeroWhere(g / norm.Pow(p - 1), norm.Eq(0)),
    };

    /// <summary>Bool: whether any element is true (nonzero).</summary>
    public Tensor Any() => ReduceRaw(ReduceOp.Any, AllDims(), keepDim: false);

    /// <summary>Bool: whether every element is true (nonzero).</summary>
    public Tensor All() => ReduceRaw(ReduceOp.All, AllDims(), keepDim: false);

    /// <summary>Broadcasts a reduced gradient back over the reduced dims.</summary>
    private static Tensor Unreduce(Tensor g, int[] dims, bool keepDim, int[] inputShape)
    {
        if (!keepDim)
        {
            foreach (var d in dims.Order())
            {
                g = g.Unsqueeze(d);
            }
        }

        return g.Expand(inputShape);
    }

    /// <summary>The kernel reduction with PyTorch's result dtype (Int64 for sums of integers and bools).</summary>
    private Tensor ReduceRaw(ReduceOp op, int[] dims, bool keepDim)
    {
        var input = op == ReduceOp.Sum && !DType.IsFloating() ? CastRaw(DType.Int64) : this;
        var result = Kernels.Reduce(op, input, dims);
        if (keepDim)
        {
            return result;
        }

        var shape = Enumerable.Range(0, Dim).Where(d => !dims.Contains(d)).Select(d => _shape[d]).ToArray();
        return new Tensor(result.Storage, shape);
    }

    private int[] AllDims() => Enumerable.Range(0, Dim).ToArray();

    private int[] NormalizeDims(int[] dims)
    {
        var ds = dims.Select(d => Shapes.NormalizeDim(d, Dim)).ToArray();
        if (ds.GroupBy(d => d).FirstOrDefault(g => g.Count() > 1) is { } repeated)
        {
            throw new ArgumentException($"dim {repeated.Key} appears multiple times in the list of dims");
        }

        return Dim == 0 ? [] : ds;
    }

    private void CheckMeanDType()
    {
        if (!DType.IsFloating())
        {
            throw new InvalidOperationException(
                $"mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: {(DType == DType.Int64 ? "Long" : "Bool")}");
        }
    }
}
