using ILGPU;

namespace DistGrad.Kernels.Ilgpu;

/// <summary>Where a batch of matrices sits in storage: element (b, r, c) is at Offset + b·Batch + r·Row + c·Col.</summary>
internal struct MatrixLayout
{
    public int Offset;
    public int Batch;
    public int Row;
    public int Col;

    public static MatrixLayout Of(Tensor t) => t.Dim == 3
        ? new MatrixLayout { Offset = t.Offset, Batch = t.StridesRef[0], Row = t.StridesRef[1], Col = t.StridesRef[2] }
        : new MatrixLayout { Offset = t.Offset, Batch = 0, Row = t.StridesRef[0], Col = t.StridesRef[1] };

    public readonly int At(int b, int r, int c) => Offset + (b * Batch) + (r * Row) + (c * Col);
}

/// <summary>
/// Batched C[b] = A[b] · B[b] with A [M, K] and B [K, N] read through any strides (transposed and broadcast
/// operands need no copy), C dense. A group computes a (4·Side)² tile of C: it stages Depth-deep slices of A and
/// B in shared memory and each thread accumulates a 4×4 block in registers, whose rows and columns are Side
/// apart so that neighbouring threads read neighbouring shared-memory words. Grid: (tiles of N, tiles of M, B).
/// </summary>
internal static class GemmKernel
{
    public static void Tiled<T, TM, TC>(ArrayView<T> a, MatrixLayout la, ArrayView<T> b, MatrixLayout lb, ArrayView<T> c, int m, int n, int k)
        where T : unmanaged
        where TM : struct, INumeric<T>
        where TC : struct, ITileConfig
    {
        var num = default(TM);
        var side = default(TC).Side;
        var depth = default(TC).Depth;
        var tile = 4 * side;
        var staged = default(TC).TileElements;
        var sa = SharedMemory.Allocate<T>(default(TC).TileElements);
        var sb = SharedMemory.Allocate<T>(default(TC).TileElements);

        var t = Group.IdxX;
        var tx = t % side;
        var ty = t / side;
        var batch = Grid.IdxZ;
        var row0 = Grid.IdxY * tile;
        var col0 = Grid.IdxX * tile;
        var threads = side * side;

        T c00 = num.Zero, c01 = num.Zero, c02 = num.Zero, c03 = num.Zero;
        T c10 = num.Zero, c11 = num.Zero, c12 = num.Zero, c13 = num.Zero;
        T c20 = num.Zero, c21 = num.Zero, c22 = num.Zero, c23 = num.Zero;
        T c30 = num.Zero, c31 = num.Zero, c32 = num.Zero, c33 = num.Zero;

        for (var k0 = 0; k0 < k; k0 += depth)
        {
            // Stage A[row0.., k0..] as sa[kk·tile + mm] and B[k0.., col0..] as sb[kk·tile + nn], zeros past the edges.
            for (var e = t; e < staged; e += threads)
            {
                var mm = e / depth;
                var kk = e - (mm * depth);
                var r = row0 + mm;
                var q = k0 + kk;
                sa[(kk * tile) + mm] = r < m && q < k ? a[la.At(batch, r, q)] : num.Zero;

                var kb = e / tile;
                var nn = e - (kb * tile);
                var qb = k0 + kb;
                var col = col0 + nn;
                sb[(kb * tile) + nn] = qb < k && col < n ? b[lb.At(batch, qb, col)] : num.Zero;
            }

            Group.Barrier();
            for (var kk = 0; kk < depth; kk++)
            {
                var baseIndex = kk * tile;
                var a0 = sa[baseIndex + ty];
                var a1 = sa[baseIndex + ty + side];
                var a2 = sa[baseIndex + ty + (2 * side)];
                var a3 = sa[baseIndex + ty + (3 * side)];
                var b0 = sb[baseIndex + tx];
                var b1 = sb[baseIndex + tx + side];
                var b2 = sb[baseIndex + tx + (2 * side)];
                var b3 = sb[baseIndex + tx + (3 * side)];
                c00 = num.Add(c00, num.Mul(a0, b0));
                c01 = num.Add(c01, num.Mul(a0, b1));
                c02 = num.Add(c02, num.Mul(a0, b2));
                c03 = num.Add(c03, num.Mul(a0, b3));
                c10 = num.Add(c10, num.Mul(a1, b0));
                c11 = num.Add(c11, num.Mul(a1, b1));
                c12 = num.Add(c12, num.Mul(a1, b2));
                c13 = num.Add(c13, num.Mul(a1, b3));
                c20 = num.Add(c20, num.Mul(a2, b0));
                c21 = num.Add(c21, num.Mul(a2, b1));
                c22 = num.Add(c22, num.Mul(a2, b2));
                c23 = num.Add(c23, num.Mul(a2, b3));
                c30 = num.Add(c30, num.Mul(a3, b0));
                c31 = num.Add(c31, num.Mul(a3, b1));
                c32 = num.Add(c32, num.Mul(a3, b2));
                c33 = num.Add(c33, num.Mul(a3, b3));
            }

            Group.Barrier();
        }

        var outBase = batch * m * n;
        Store(c, outBase, row0 + ty, col0 + tx, side, m, n, c00, c01, c02, c03);
        Store(c, outBase, row0 + ty + side, col0 + tx, side, m, n, c10, c11, c12, c13);
        Store(c, outBase, row0 + ty + (2 * side), col0 + tx, side, m, n, c20, c21, c22, c23);
        Store(c, outBase, row0 + ty + (3 * side), col0 + tx, side, m, n, c30, c31, c32, c33);
    }

    private static void Store<T>(ArrayView<T> c, int outBase, int row, int col, int side, int m, int n, T v0, T v1, T v2, T v3)
        where T : unmanaged
    {
        if (row >= m)
        {
            return;
        }

        var at = outBase + (row * n);
        if (col < n)
        {
            c[at + col] = v0;
        }

        if (col + side < n)
        {
            c[at + col + side] = v1;
        }

        if (col + (2 * side) < n)
        {
            c[at + col + (2 * side)] = v2;
        }

        if (col + (3 * side) < n)
        {
            c[at + col + (3 * side)] = v3;
        }
    }
}
