using System.Numerics;
using DistGrad.Kernels.Cpu.Gemm;

namespace DistGrad.Kernels.Cpu;

/// <summary>Matrix products between slices of CPU arrays, for kernels (convolution) that multiply parts of their buffers.</summary>
internal sealed partial class CpuKernels
{
    /// <summary>
    /// c[cOffset + i·ldc + j] (+)= Σ_p a(i, p)·b(p, j), with x(r, s) = x[xOffset + r·rowStride + s·colStride].
    /// Float32 and Float64 run the packed GEMM; Int64 a plain loop.
    /// </summary>
    private static unsafe void GemmInto<T>(
        T[] a, int aOffset, int aRowStride, int aColStride,
        T[] b, int bOffset, int bRowStride, int bColStride,
        T[] c, int cOffset, int ldc,
        int m, int n, int k, bool accumulate, bool parallel)
        where T : unmanaged, INumber<T>
    {
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
        {
            IntegerGemmInto(a, aOffset, aRowStride, aColStride, b, bOffset, bRowStride, bColStride, c, cOffset, ldc, m, n, k, accumulate);
            return;
        }

        fixed (T* pa = a, pb = b, pc = c)
        {
            PackedGemm.Multiply(
                new MatrixRef<T>(pa + aOffset, aRowStride, aColStride),
                new MatrixRef<T>(pb + bOffset, bRowStride, bColStride),
                pc + cOffset,
                ldc,
                m,
                n,
                k,
                accumulate,
                parallel);
        }
    }

    private static void IntegerGemmInto<T>(
        T[] a, int aOffset, int aRowStride, int aColStride,
        T[] b, int bOffset, int bRowStride, int bColStride,
        T[] c, int cOffset, int ldc,
        int m, int n, int k, bool accumulate)
        where T : INumber<T>
    {
        for (var i = 0; i < m; i++)
        {
            var row = c.AsSpan(cOffset + (i * ldc), n);
            if (!accumulate)
            {
                row.Clear();
            }

            for (var p = 0; p < k; p++)
            {
                var x = a[aOffset + (i * aRowStride) + (p * aColStride)];
                var bRow = bOffset + (p * bRowStride);
                for (var j = 0; j < n; j++)
                {
                    row[j] += x * b[bRow + (j * bColStride)];
                }
            }
        }
    }
}
