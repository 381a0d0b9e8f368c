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
