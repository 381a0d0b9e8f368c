using System.Numerics;

namespace DistGrad.Kernels.Cpu.Gemm;

/// <summary>The portable tile for machines without usable SIMD: a 4×4 block of scalar accumulators.</summary>
internal readonly struct GemmKernelScalar<T> : IGemmMicroKernel<T>
    where T : unmanaged, INumber<T>
{
    public static int MR => 4;

    public static int NR => 4;

    public static unsafe void Run(int kc, T* a, T* b, T* c, nint ldc, bool accumulate)
    {
        var acc = stackalloc T[16];
        for (var i = 0; i < 16; i++)
        {
            acc[i] = T.Zero;
        }

        for (var p = 0; p < kc; p++, a += 4, b += 4)
        {
            for (var i = 0; i < 4; i++)
            {
                var x = a[i];
                for (var j = 0; j < 4; j++)
                {
                    acc[(i * 4) + j] += x * b[j];
                }
            }
        }

        for (var i = 0; i < 4; i++)
        {
            var row = c + (i * ldc);
            for (var j = 0; j < 4; j++)
            {
                row[j] = accumulate ? row[j] + acc[(i * 4) + j] : acc[(i * 4) + j];
            }
        }
    }
}
