using System.Numerics;
using System.Numerics.Tensors;

namespace DistGrad.Kernels.Cpu;

/// <summary>
/// Softmax and log-softmax gradients row by row. Composed from ops, the log-softmax rule
/// g − exp(y)·Σg makes four passes and three temporaries over [N, C]; here it is one pass per row with the
/// same arithmetic per element (the correctly rounded exp, then the product, then the difference).
/// </summary>
internal sealed partial class CpuKernels
{
    public Tensor SoftmaxBackward(Tensor grad, Tensor output, int dim, bool log)
    {
        var last = output.Dim - 1;
        var moved = output.Dim > 0 && dim != last;
        var g = Dense(moved ? grad.TransposedRaw(dim, last) : grad);
        var y = Dense(moved ? output.TransposedRaw(dim, last) : output);
        var n = output.Dim == 0 ? 1 : output.ShapeRef[dim];
        Tensor result;
        switch (output.DType)
        {
            case DType.Float32: result = SoftmaxBackwardRows<float>(g, y, n, log); break;
            case DType.Float64: result = SoftmaxBackwardRows<double>(g, y, n, log); break;
            default: throw new NotSupportedException($"softmax is not defined for {output.DType.TorchName()} tensors");
        }

        return moved ? Dense(result.TransposedRaw(dim, last)) : result;
    }

    private static Tensor SoftmaxBackwardRows<T>(Tensor grad, Tensor output, int n, bool log)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = NewTensorForOverwrite<T>(output.DType, output.ShapeRef);
        var g = Span<T>(grad);
        var y = Span<T>(output);
        var dst = Span<T>(result);
        for (var start = 0; start + n <= dst.Length && n > 0; start += n)
        {
            var gRow = g.Slice(start, n);
            var yRow = y.Slice(start, n);
            var outRow = dst.Slice(start, n);
            if (log)
            {
                var sum = TensorPrimitives.Sum<T>(gRow);
                for (var i = 0; i < n; i++)
                {
                    outRow[i] = gRow[i] - (T.Exp(yRow[i]) * sum);
                }
            }
            else
            {
                var dot = TensorPrimitives.Dot<T>(gRow, yRow);
                TensorPrimitives.Subtract(gRow, dot, outRow);
                TensorPrimitives.Multiply(yRow, outRow, outRow);
            }
        }

        return result;
    }

    public Tensor NllLoss(Tensor logProbs, Tensor target, long ignoreIndex)
    {
        var rows = logProbs.ShapeRef[0];
        var result = NewTensor(logProbs.DType, [rows]);
        switch (logProbs.DType)
        {
            case DType.Float32: NllRows<float>(logProbs, target, ignoreIndex, result); break;
            case DType.Float64: NllRows<double>(logProbs, target, ignoreIndex, result); break;
            default: throw new NotSupportedException($"nll_loss is not defined for {logProbs.DType.TorchName()} tensors");
        }

        return result;
    }

    private static void NllRows<T>(Tensor logProbs, Tensor target, long ignoreIndex, Tensor result)
        where T : unmanaged, INumber<T>
    {
        var (lp, t, dst) = (CpuStorage.Of<T>(logProbs), CpuStorage.Of<long>(target), CpuStorage.Of<T>(result));
        var (rowStride, colStride, targetStride) = (logProbs.StridesRef[0], logProbs.StridesRef[1], target.StridesRef[0]);
        for (var i = 0; i < dst.Length; i++)
        {
            var c = t[target.Offset + (i * targetStride)];
            dst[i] = c == ignoreIndex ? T.Zero : -lp[logProbs.Offset + (i * rowStride) + ((int)c * colStride)];
        }
    }

    public Tensor NllLossBackward(Tensor rowGrad, Tensor target, int classes, long ignoreIndex)
    {
        var rows = target.ShapeRef[0];
        var result = NewTensor(rowGrad.DType, [rows, classes]);
        switch (rowGrad.DType)
        {
            case DType.Float32: NllBackwardRows<float>(rowGrad, target, classes, ignoreIndex, result); break;
            case DType.Float64: NllBackwardRows<double>(rowGrad, target, classes, ignoreIndex, result); break;
            default: throw new NotSupportedException($"nll_loss is not defined for {rowGrad.DType.TorchName()} tensors");
        }

        return result;
    }

    private static void NllBackwardRows<T>(Tensor rowGrad, Tensor target, int classes, long ignoreIndex, Tensor result)
        where T : unmanaged, INumber<T>
    {
        var (g, t, dst) = (CpuStorage.Of<T>(rowGrad), CpuStorage.Of<long>(target), CpuStorage.Of<T>(result));
        var (gStride, targetStride) = (rowGrad.StridesRef[0], target.StridesRef[0]);
        for (var i = 0; i < target.ShapeRef[0]; i++)
        {
            var c = t[target.Offset + (i * targetStride)];
            if (c != ignoreIndex)
            {
                dst[(i * classes) + (int)c] = -g[rowGrad.Offset + (i * gStride)];
            }
        }
    }
}
