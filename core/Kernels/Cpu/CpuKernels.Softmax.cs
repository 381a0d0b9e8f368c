using System.Numerics;
using System.Numerics.Tensors;

namespace DistGrad.Kernels.Cpu;

/// <summary>Softmax and log-softmax along one dim, max-shifted so large logits do not overflow.</summary>
internal sealed partial class CpuKernels
{
    public Tensor Softmax(Tensor x, int dim, bool log)
    {
        // Work on a dense copy with the dim last: each row is then one softmax, computed in place.
        var last = x.Dim - 1;
        var moved = dim == last || x.Dim == 0 ? x : x.TransposedRaw(dim, last);
        var work = NewTensor(x.DType, moved.Shape);
        Copy(moved, work);
        var n = x.Dim == 0 ? 1 : x.ShapeRef[dim];
        switch (x.DType)
        {
            case DType.Float32: SoftmaxRows<float>(work, n, log); break;
            case DType.Float64: SoftmaxRows<double>(work, n, log); break;
            default: throw new NotSupportedException($"softmax is not defined for {x.DType.TorchName()} tensors");
        }

        return ReferenceEquals(moved, x) ? work : Dense(work.TransposedRaw(dim, last));
    }

    private static void SoftmaxRows<T>(Tensor dense, int n, bool log)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var data = Span<T>(dense);
        for (var start = 0; start + n <= data.Length && n > 0; start += n)
        {
            var row = data.Slice(start, n);
            var max = TensorPrimitives.Max<T>(row);
            if (T.IsInfinity(max))
            {
                max = T.Zero;
            }

            TensorPrimitives.Subtract(row, max, row);
            if (log)
            {
                var sum = T.Zero;
                foreach (var v in row)
                {
                    sum += T.Exp(v);
                }

                TensorPrimitives.Subtract(row, T.Log(sum), row);
            }
            else
            {
                ApplyEach<T, ExpFunction<T>>(row, row);
                TensorPrimitives.Divide(row, TensorPrimitives.Sum<T>(row), row);
            }
        }
    }
}
