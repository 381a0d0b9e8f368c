using System.Numerics;

namespace DistGrad.Kernels.Cpu.Gemm;

/// <summary>
/// Copies blocks of A and B into the micro-kernel's order: A as slivers of MR rows stored column by column,
/// B as slivers of NR columns stored row by row, each sliver contiguous and zero-padded to its full width.
/// Any strides are read here, so transposed and sliced operands cost one strided pass over the block
/// instead of a full contiguous copy; the padding lets edge tiles run the same kernel.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>Packs the mc×kc block of A starting at a into slivers of mr rows (kc·mr elements each).</summary>
    public static void PackA<T>(MatrixRef<T> a, int mc, int kc, int mr, T* dst)
        where T : unmanaged, INumber<T>
    {
        for (var i0 = 0; i0 < mc; i0 += mr, dst += kc * mr)
        {
            PackSliver(a.From(i0, 0), Math.Min(mr, mc - i0), kc, mr, dst);
        }
    }

    /// <summary>Packs the kc×nc block of B starting at b into slivers of nr columns (kc·nr elements each).</summary>
    public static void PackB<T>(MatrixRef<T> b, int kc, int nc, int nr, T* dst)
        where T : unmanaged, INumber<T>
    {
        // A B sliver is an A sliver of Bᵀ: nr "rows" (B's columns) laid out along k.
        var bt = b.Transposed;
        for (var j0 = 0; j0 < nc; j0 += nr, dst += kc * nr)
        {
            PackSliver(bt.From(j0, 0), Math.Min(nr, nc - j0), kc, nr, dst);
        }
    }

    /// <summary>dst[p·ldd + r] = src[r·lds + p] for r &lt; rows, p &lt; cols, 16 k values at a time.</summary>
    private static void TransposeScalar<T>(T* src, nint lds, T* dst, nint ldd, int rows, int cols)
        where T : unmanaged
    {
        const int Step = 16;
        for (var p0 = 0; p0 < cols; p0 += Step)
        {
            var steps = Math.Min(Step, cols - p0);
            for (var r = 0; r < rows; r++)
            {
                var s = src + (r * lds) + p0;
                var d = dst + (p0 * ldd) + r;
                for (var p = 0; p < steps; p++)
                {
                    d[p * ldd] = s[p];
                }
            }
        }
    }

    /// <summary>dst[p·width + r] = src(r, p) for r &lt; rows, zero for rows ≤ r &lt; width.</summary>
    private static void PackSliver<T>(MatrixRef<T> src, int rows, int kc, int width, T* dst)
        where T : unmanaged, INumber<T>
    {
        var (rs, cs) = (src.RowStride, src.ColStride);
        if (rs == 1 && rows == width)
        {
            // The sliver's rows are adjacent in memory: each packed column is one contiguous copy.
            var bytes = (long)width * sizeof(T);
            for (var p = 0; p < kc; p++)
            {
                Buffer.MemoryCopy(src.Data + (p * cs), dst + (p * width), bytes, bytes);
            }

            return;
        }

        if (cs == 1)
        {
            // Each row is contiguous along k (a row-major A, a transposed B): a transpose. Whole blocks go
            // through registers; the leftover rows and k values go element by element, a few k at a time so
            // that both the source lines and the destination lines stay in L1 (a whole row at once would
            // touch kc destination lines a width apart, which alias in L1 and thrash it).
            var blockK = GemmTranspose.BlockK<T>();
            var fullK = GemmTranspose.IsSupported ? kc / blockK * blockK : 0;
            var done = fullK > 0 ? GemmTranspose.Rows(src.Data, rs, dst, width, rows, fullK) : 0;
            TransposeScalar(src.Data + (done * rs), rs, dst + done, width, rows - done, fullK);
            TransposeScalar(src.Data + fullK, rs, dst + (fullK * width), width, rows, kc - fullK);
        }
        else
        {
            for (var p = 0; p < kc; p++)
            {
                var s = src.Data + (p * cs);
                var d = dst + (p * width);
                for (var r = 0; r < rows; r++)
                {
                    d[r] = s[r * rs];
                }
            }
        }

        if (rows < width)
        {
            for (var p = 0; p < kc; p++)
            {
                new Span<T>(dst + (p * width) + rows, width - rows).Clear();
            }
        }
    }
}
