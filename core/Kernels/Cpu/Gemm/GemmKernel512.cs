using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace DistGrad.Kernels.Cpu.Gemm;

/// <summary>
/// A 12 × (2 × 512-bit) register tile: 24 accumulators, two B vectors and one broadcast A value fit in the
/// 32 zmm registers with none spilled, and each k step issues 24 independent FMAs, enough to cover the FMA
/// latency on both pipes. The k loop is written out per row because the JIT keeps only named locals in
/// registers.
/// </summary>
internal readonly struct GemmKernel512<T> : IGemmMicroKernel<T>
    where T : unmanaged
{
    public static int MR => 12;

    public static int NR => 2 * Vector512<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Run(int kc, T* a, T* b, T* c, nint ldc, bool accumulate)
    {
        Vector512<T> r0a = default, r0b = default;
        Vector512<T> r1a = default, r1b = default;
        Vector512<T> r2a = default, r2b = default;
        Vector512<T> r3a = default, r3b = default;
        Vector512<T> r4a = default, r4b = default;
        Vector512<T> r5a = default, r5b = default;
        Vector512<T> r6a = default, r6b = default;
        Vector512<T> r7a = default, r7b = default;
        Vector512<T> r8a = default, r8b = default;
        Vector512<T> r9a = default, r9b = default;
        Vector512<T> r10a = default, r10b = default;
        Vector512<T> r11a = default, r11b = default;
        var w = Vector512<T>.Count;
        for (var p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + w);
            Vector512<T> x;
            x = Vector512.Create(a[0]);
            r0a = GemmVector.Fma(x, b0, r0a);
            r0b = GemmVector.Fma(x, b1, r0b);
            x = Vector512.Create(a[1]);
            r1a = GemmVector.Fma(x, b0, r1a);
            r1b = GemmVector.Fma(x, b1, r1b);
            x = Vector512.Create(a[2]);
            r2a = GemmVector.Fma(x, b0, r2a);
            r2b = GemmVector.Fma(x, b1, r2b);
            x = Vector512.Create(a[3]);
            r3a = GemmVector.Fma(x, b0, r3a);
            r3b = GemmVector.Fma(x, b1, r3b);
            x = Vector512.Create(a[4]);
            r4a = GemmVector.Fma(x, b0, r4a);
            r4b = GemmVector.Fma(x, b1, r4b);
            x = Vector512.Create(a[5]);
            r5a = GemmVector.Fma(x, b0, r5a);
            r5b = GemmVector.Fma(x, b1, r5b);
            x = Vector512.Create(a[6]);
            r6a = GemmVector.Fma(x, b0, r6a);
            r6b = GemmVector.Fma(x, b1, r6b);
            x = Vector512.Create(a[7]);
            r7a = GemmVector.Fma(x, b0, r7a);
            r7b = GemmVector.Fma(x, b1, r7b);
            x = Vector512.Create(a[8]);
            r8a = GemmVector.Fma(x, b0, r8a);
            r8b = GemmVector.Fma(x, b1, r8b);
            x = Vector512.Create(a[9]);
            r9a = GemmVector.Fma(x, b0, r9a);
            r9b = GemmVector.Fma(x, b1, r9b);
            x = Vector512.Create(a[10]);
            r10a = GemmVector.Fma(x, b0, r10a);
            r10b = GemmVector.Fma(x, b1, r10b);
            x = Vector512.Create(a[11]);
            r11a = GemmVector.Fma(x, b0, r11a);
            r11b = GemmVector.Fma(x, b1, r11b);
            a += 12;
            b += 2 * w;
        }

        GemmVector.Store(c + (0 * ldc), r0a, r0b, accumulate);
        GemmVector.Store(c + (1 * ldc), r1a, r1b, accumulate);
        GemmVector.Store(c + (2 * ldc), r2a, r2b, accumulate);
        GemmVector.Store(c + (3 * ldc), r3a, r3b, accumulate);
        GemmVector.Store(c + (4 * ldc), r4a, r4b, accumulate);
        GemmVector.Store(c + (5 * ldc), r5a, r5b, accumulate);
        GemmVector.Store(c + (6 * ldc), r6a, r6b, accumulate);
        GemmVector.Store(c + (7 * ldc), r7a, r7b, accumulate);
        GemmVector.Store(c + (8 * ldc), r8a, r8b, accumulate);
        GemmVector.Store(c + (9 * ldc), r9a, r9b, accumulate);
        GemmVector.Store(c + (10 * ldc), r10a, r10b, accumulate);
        GemmVector.Store(c + (11 * ldc), r11a, r11b, accumulate);
    }
}
