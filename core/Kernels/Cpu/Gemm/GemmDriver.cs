using System.Numerics;

namespace DistGrad.Kernels.Cpu.Gemm;

/// <summary>
/// The Goto/BLIS loop nest for one thread's part of C = A·B: a kc×nc panel of B is packed once and reused
/// for every mc×kc block of A, and each packed A block is swept by the micro-kernel under every B sliver.
/// With kc·NR elements a B sliver stays in L1 while A slivers stream from L2, where the packed A block is
/// sized to sit. Each element of C sums its k blocks in one fixed order, whatever the thread split.
/// </summary>
internal static unsafe class GemmDriver<T, TKernel>
    where T : unmanaged, INumber<T>
    where TKernel : struct, IGemmMicroKernel<T>
{
    /// <summary>Depth of a packed block: a B sliver of KC·NR elements must fit in L1 beside the A stream.</summary>
    private static int KC => 256;

    /// <summary>Rows of a packed A block (a multiple of MR): MC·KC elements sit in L2.</summary>
    private static int MC => TKernel.MR * 16;

    /// <summary>Columns of a packed B panel (a multiple of NR): KC·NC elements sit in L3.</summary>
    private static int NC => TKernel.NR * 128;

    /// <summary>c (m×n, unit column stride, row stride ldc) (+)= a (m×k) · b (k×n).</summary>
    public static void Run(MatrixRef<T> a, MatrixRef<T> b, T* c, nint ldc, int m, int n, int k, bool accumulate)
    {
        if (m == 0 || n == 0)
        {
            return;
        }

        if (k == 0)
        {
            if (!accumulate)
            {
                for (var i = 0; i < m; i++)
                {
                    new Span<T>(c + (i * ldc), n).Clear();
                }
            }

            return;
        }

        var (mr, nr) = (TKernel.MR, TKernel.NR);
        var kcMax = Math.Min(KC, k);
        var mcMax = Math.Min(MC, RoundUp(m, mr));
        var ncMax = Math.Min(NC, RoundUp(n, nr));
        var packA = GemmBuffers<T>.A(mcMax * kcMax);
        var packB = GemmBuffers<T>.B(ncMax * kcMax);
        var tile = stackalloc T[mr * nr];

        for (var jc = 0; jc < n; jc += ncMax)
        {
            var nc = Math.Min(ncMax, n - jc);
            for (var pc = 0; pc < k; pc += kcMax)
            {
                var kc = Math.Min(kcMax, k - pc);

                // Later k blocks add onto what the earlier ones wrote.
                var add = accumulate || pc > 0;
                GemmPacking.PackB(b.From(pc, jc), kc, nc, nr, packB);
                for (var ic = 0; ic < m; ic += mcMax)
                {
                    var mc = Math.Min(mcMax, m - ic);
                    GemmPacking.PackA(a.From(ic, pc), mc, kc, mr, packA);
                    for (var jr = 0; jr < nc; jr += nr)
                    {
                        var cols = Math.Min(nr, nc - jr);
                        var bSliver = packB + (jr * kc);
                        for (var ir = 0; ir < mc; ir += mr)
                        {
                            var rows = Math.Min(mr, mc - ir);
                            var aSliver = packA + (ir * kc);
                            var cTile = c + ((ic + ir) * ldc) + jc + jr;
                            if (rows == mr && cols == nr)
                            {
                                TKernel.Run(kc, aSliver, bSliver, cTile, ldc, add);
                            }
                            else
                            {
                                // Edge tile: the padded slivers give a full tile; only its valid part is kept.
                                TKernel.Run(kc, aSliver, bSliver, tile, nr, accumulate: false);
                                StoreEdge(tile, nr, cTile, ldc, rows, cols, add);
                            }
                        }
                    }
                }
            }
        }
    }

    private static void StoreEdge(T* tile, int nr, T* c, nint ldc, int rows, int cols, bool add)
    {
        for (var i = 0; i < rows; i++)
        {
            var src = new ReadOnlySpan<T>(tile + (i * nr), cols);
            var dst = new Span<T>(c + (i * ldc), cols);
            if (add)
            {
                System.Numerics.Tensors.TensorPrimitives.Add(dst, src, dst);
            }
            else
            {
                src.CopyTo(dst);
            }
        }
    }

    private static int RoundUp(int x, int multiple) => (x + multiple - 1) / multiple * multiple;
}
