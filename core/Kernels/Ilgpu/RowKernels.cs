using ILGPU;

namespace DistGrad.Kernels.Ilgpu;

/// <summary>Device code of softmax and log-softmax: one thread per row of <c>n</c> elements (the softmax dim last).</summary>
internal static class RowKernels
{
    public static void Softmax<T, TM>(Index1D row, ArrayView<T> x, StridedLayout lx, ArrayView<T> y, StridedLayout ly, int n, int log)
        where T : unmanaged
        where TM : struct, IFloating<T>
    {
        var m = default(TM);
        var start = row * n;
        var max = m.Lowest;
        for (var j = 0; j < n; j++)
        {
            var v = x[lx.At(start + j)];
            if (m.IsNaN(v) || m.Less(max, v))
            {
                max = v;
            }
        }

        // An infinite max would turn every shifted value into NaN: shift by 0 instead, as the CPU backend does.
        if (m.IsInfinity(max))
        {
            max = m.Zero;
        }

        var sum = m.Zero;
        for (var j = 0; j < n; j++)
        {
            sum = m.Add(sum, m.Exp(m.Sub(x[lx.At(start + j)], max)));
        }

        var logSum = m.Log(sum);
        for (var j = 0; j < n; j++)
        {
            var shifted = m.Sub(x[lx.At(start + j)], max);
            y[ly.At(start + j)] = log != 0 ? m.Sub(shifted, logSum) : m.Div(m.Exp(shifted), sum);
        }
    }
}
