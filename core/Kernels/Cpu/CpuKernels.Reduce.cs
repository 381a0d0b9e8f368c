using System.Numerics;
using System.Numerics.Tensors;

namespace DistGrad.Kernels.Cpu;

/// <summary>Reductions: the reduced dims are brought together so each output element reduces one dense run.</summary>
internal sealed partial class CpuKernels
{
    public Tensor Reduce(ReduceOp op, Tensor x, int[] dims)
    {
        var reduced = new bool[x.Dim];
        foreach (var d in dims)
        {
            reduced[d] = true;
        }

        var outShape = x.Shape;
        foreach (var d in dims)
        {
            outShape[d] = 1;
        }

        // Sums only: max and min must keep torch's NaN and first-of-ties rules, which the run path implements.
        if (op == ReduceOp.Sum && LeadingReduction(x, reduced) is { } outer)
        {
            switch (x.DType)
            {
                case DType.Float32: return SumLeading<float>(x, outShape, outer);
                case DType.Float64: return SumLeading<double>(x, outShape, outer);
            }
        }

        // Order the input as (kept dims..., reduced dims...) and make it dense: each output is then one run.
        var perm = Enumerable.Range(0, x.Dim).Where(d => !reduced[d]).Concat(Enumerable.Range(0, x.Dim).Where(d => reduced[d])).ToArray();
        var permuted = Dense(x.PermutedRaw(perm));
        var outCount = Shapes.Numel(outShape);
        var run = outCount == 0 ? 0 : permuted.Numel / outCount;
        if (run == 0 && op is ReduceOp.Max or ReduceOp.Min)
        {
            throw new ArgumentException($"{op.ToString().ToLowerInvariant()}(): cannot reduce over an empty dimension of a tensor of shape {Shapes.Format(x.ShapeRef)}");
        }

        return (op, x.DType) switch
        {
            (ReduceOp.Any or ReduceOp.All, _) => ReduceBool(op, AsBool(permuted), outShape, run),
            (_, DType.Float32) => ReduceNumber<float>(op, permuted, outShape, run),
            (_, DType.Float64) => ReduceNumber<double>(op, permuted, outShape, run),
            (_, DType.Int64) => ReduceNumber<long>(op, permuted, outShape, run),
            _ => ReduceNumber<long>(op, AsInt64(permuted), outShape, run),
        };
    }

    /// <summary>
    /// For a contiguous x whose reduced dims are exactly its leading ones (a bias gradient's sum over the batch,
    /// sum(dim 0) of a matrix), how many rows of the kept trailing block there are; null otherwise.
    /// </summary>
    private static int? LeadingReduction(Tensor x, bool[] reduced)
    {
        var k = 0;
        while (k < reduced.Length && reduced[k])
        {
            k++;
        }

        if (k == 0 || k == reduced.Length || Array.IndexOf(reduced, true, k) >= 0 || !x.IsContiguous || x.Numel == 0)
        {
            return null;
        }

        var outer = 1;
        for (var d = 0; d < k; d++)
        {
            outer *= x.ShapeRef[d];
        }

        return outer;
    }

    /// <summary>
    /// Sums the leading rows of a contiguous block into one row, a whole row at a time (vectorized along the
    /// kept elements) instead of transposing the input so that each output becomes a contiguous run.
    /// </summary>
    private static Tensor SumLeading<T>(Tensor x, int[] outShape, int outer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var inner = x.Numel / outer;
        var result = NewTensorForOverwrite<T>(x.DType, outShape);
        var src = CpuStorage.Of<T>(x).AsSpan(x.Offset, x.Numel);
        var dst = CpuStorage.Of<T>(result).AsSpan(0, inner);
        src[..inner].CopyTo(dst);
        for (var r = 1; r < outer; r++)
        {
            TensorPrimitives.Add(dst, src.Slice(r * inner, inner), dst);
        }

        return result;
    }

    private static Tensor ReduceNumber<T>(ReduceOp op, Tensor dense, int[] outShape, int run)
        where T : unmanaged, INumber<T>, IMinMaxValue<T>
    {
        var result = NewTensor(dense.DType, outShape);
        var src = Span<T>(dense);
        var dst = CpuStorage.Of<T>(result);
        for (var i = 0; i < dst.Length; i++)
        {
            var chunk = src.Slice(i * run, run);
            dst[i] = op switch
            {
                ReduceOp.Sum => TensorPrimitives.Sum<T>(chunk),
                ReduceOp.Max => TensorPrimitives.Max<T>(chunk),
                _ => TensorPrimitives.Min<T>(chunk),
            };
        }

        return result;
    }

    private static Tensor ReduceBool(ReduceOp op, Tensor dense, int[] outShape, int run)
    {
        var result = NewTensor(DType.Bool, outShape);
        var src = Span<bool>(dense);
        var dst = CpuStorage.Of<bool>(result);
        for (var i = 0; i < dst.Length; i++)
        {
            var chunk = src.Slice(i * run, run);
            dst[i] = op == ReduceOp.Any ? chunk.Contains(true) : !chunk.Contains(false);
        }

        return result;
    }

    private static Tensor AsBool(Tensor t)
    {
        if (t.DType == DType.Bool)
        {
            return t;
        }

        var result = NewTensor(DType.Bool, t.Shape);
        Instance.Copy(t, result);
        return result;
    }
}
