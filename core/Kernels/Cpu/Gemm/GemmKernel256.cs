using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace DistGrad.Kernels.Cpu.Gemm;

/// <summary>
/// A 6 × (2 × 256-bit) register tile for machines without AVX-512: 12 accumulators, two B vectors and one
/// broadcast fit in the 16 ymm registers.
/// </summary>
internal readonly struct GemmKernel256<T> : IGemmMicroKernel<T>
    where T : unmanaged
{
    public static int MR => 6;

    public static int NR => 2 * Vector256<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Run(int kc, T* a, T* b, T* c, nint ldc, bool accumulate)
    {
        Vector256<T> r0a = default, r0b = default;
        Vector256<T> r1a = default, r1b = default;
        Vector256<T> r2a = default, r2b = default;
        Vector256<T> r3a = default, r3b = default;
        Vector256<T> r4a = default, r4b = default;
        Vector256<T> r5a = default, r5b = default;
        var w = Vector256<T>.Count;
        for (var p = 0; p < kc; p++)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + w);
            Vector256<T> x;
            x = Vector256.Create(a[0]);
            r0a = GemmVector.Fma(x, b0, r0a);
            r0b = GemmVector.Fma(x, b1, r0b);
            x = Vector256.Create(a[1]);
            r1a = GemmVector.Fma(x, b0, r1a);
            r1b = GemmVector.Fma(x, b1, r1b);
            x = Vector256.Create(a[2]);
            r2a = GemmVector.Fma(x, b0, r2a);
            r2b = GemmVector.Fma(x, b1, r2b);
            x = Vector256.Create(a[3]);
            r3a = GemmVector.Fma(x, b0, r3a);
            r3b = GemmVector.Fma(x, b1, r3b);
            x = Vector256.Create(a[4]);
            r4a = GemmVector.Fma(x, b0, r4a);
            r4b = GemmVector.Fma(x, b1, r4b);
            x = Vector256.Create(a[5]);
            r5a = GemmVector.Fma(x, b0, r5a);
            r5b = GemmVector.Fma(x, b1, r5b);
            a += 6;
            b += 2 * w;
        }

        GemmVector.Store(c + (0 * ldc), r0a, r0b, accumulate);
        GemmVector.Store(c + (1 * ldc), r1a, r1b, accumulate);
        GemmVector.Store(c + (2 * ldc), r2a, r2b, accumulate);
        GemmVector.Store(c + (3 * ldc), r3a, r3b, accumulate);
        GemmVector.Store(c + (4 * ldc), r4a, r4b, accumulate);
        GemmVector.Store(c + (5 * ldc), r5a, r5b, accumulate);
    }
}
