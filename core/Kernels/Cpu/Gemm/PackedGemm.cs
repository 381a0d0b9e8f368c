using System.Numerics;

namespace DistGrad.Kernels.Cpu.Gemm;

/// <summary>
/// Packed, cache-blocked matrix product for Float32 and Float64: C (+)= A·B with A and B at any strides and
/// C row-major. Large products split C into one band per core, along whichever of M and N makes the
/// duplicated packing (each band packs all of the other operand) smaller; every band runs the same loop
/// nest, so the split never changes a result.
/// </summary>
internal static unsafe class PackedGemm
{
    /// <summary>Below this many multiply-adds a product runs on one core: a thread hand-off costs more.</summary>
    public const long ParallelThreshold = 1 << 19;

    /// <summary>c (m×n, unit column stride, row stride ldc) (+)= a (m×k) · b (k×n).</summary>
    public static void Multiply<T>(
        MatrixRef<T> a, MatrixRef<T> b, T* c, nint ldc, int m, int n, int k, bool accumulate, bool parallel, GemmIsa isa = GemmIsa.Auto)
        where T : unmanaged, INumber<T>
    {
        switch (isa.Resolve())
        {
            case GemmIsa.Vector512:
                Split<T, GemmKernel512<T>>(a, b, c, ldc, m, n, k, accumulate, parallel);
                break;
            case GemmIsa.Vector256:
                Split<T, GemmKernel256<T>>(a, b, c, ldc, m, n, k, accumulate, parallel);
                break;
            default:
                Split<T, GemmKernelScalar<T>>(a, b, c, ldc, m, n, k, accumulate, parallel);
                break;
        }
    }

    private static void Split<T, TKernel>(MatrixRef<T> a, MatrixRef<T> b, T* c, nint ldc, int m, int n, int k, bool accumulate, bool parallel)
        where T : unmanaged, INumber<T>
        where TKernel : struct, IGemmMicroKernel<T>
    {
        var cores = CpuThreads.Available;
        var byColumns = n >= m;
        var (length, unit) = byColumns ? (n, TKernel.NR) : (m, TKernel.MR);
        var bands = parallel && cores > 1 && (long)m * n * k >= ParallelThreshold ? Math.Min(cores, length / unit) : 1;
        if (bands <= 1)
        {
            GemmDriver<T, TKernel>.Run(a, b, c, ldc, m, n, k, accumulate);
            return;
        }

        // Band edges fall on whole tiles so only the last band has an edge tile.
        var tiles = (length + unit - 1) / unit;
        var cAddress = (nint)c;
        CpuThreads.For(0, bands, band =>
        {
            var start = Math.Min(length, (int)((long)tiles * band / bands) * unit);
            var end = Math.Min(length, (int)((long)tiles * (band + 1) / bands) * unit);
            var cBand = (T*)cAddress;
            if (byColumns)
            {
                GemmDriver<T, TKernel>.Run(a, b.From(0, start), cBand + start, ldc, m, end - start, k, accumulate);
            }
            else
            {
                GemmDriver<T, TKernel>.Run(a.From(start, 0), b, cBand + (start * ldc), ldc, end - start, n, k, accumulate);
            }
        });
    }
}
