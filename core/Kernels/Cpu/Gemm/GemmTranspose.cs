using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DistGrad.Kernels.Cpu.Gemm;

/// <summary>
/// In-register transposes of small blocks for packing row-major slivers (rows contiguous along k) into the
/// kernel's column order. Scalar element moves cost a load and a store each and dominated the product of
/// a row-major activation with a transposed weight; a block transpose moves a vector per store.
/// </summary>
internal static unsafe class GemmTranspose
{
    /// <summary>Whether the block transposes run on this machine (x86 with AVX); otherwise packing goes element by element.</summary>
    public static bool IsSupported => Avx.IsSupported;

    /// <summary>
    /// dst[p·ldd + r] = src[r·lds + p] for the first <paramref name="rows"/> rows and <paramref name="cols"/> k
    /// values, taking whole blocks where it can; returns how many leading rows it wrote (the rest, fewer
    /// than a block, is the caller's). <paramref name="cols"/> is a multiple of the block's k width.
    /// </summary>
    public static int Rows<T>(T* src, nint lds, T* dst, nint ldd, int rows, int cols)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            return RowsSingle((float*)src, lds, (float*)dst, ldd, rows, cols);
        }

        return typeof(T) == typeof(double) ? RowsDouble((double*)src, lds, (double*)dst, ldd, rows, cols) : 0;
    }

    /// <summary>How many k values one block spans: 8 floats or 4 doubles (one 256-bit row).</summary>
    public static int BlockK<T>()
        where T : unmanaged => 32 / sizeof(T);

    private static int RowsSingle(float* src, nint lds, float* dst, nint ldd, int rows, int cols)
    {
        var r = 0;
        for (; r + 8 <= rows; r += 8)
        {
            for (var p = 0; p < cols; p += 8)
            {
                Transpose8x8(src + (r * lds) + p, lds, dst + (p * ldd) + r, ldd);
            }
        }

        for (; r + 4 <= rows; r += 4)
        {
            for (var p = 0; p < cols; p += 4)
            {
                Transpose4x4(src + (r * lds) + p, lds, dst + (p * ldd) + r, ldd);
            }
        }

        return r;
    }

    private static int RowsDouble(double* src, nint lds, double* dst, nint ldd, int rows, int cols)
    {
        var r = 0;
        for (; r + 4 <= rows; r += 4)
        {
            for (var p = 0; p < cols; p += 4)
            {
                Transpose4x4(src + (r * lds) + p, lds, dst + (p * ldd) + r, ldd);
            }
        }

        return r;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(float* s, nint lds, float* d, nint ldd)
    {
        var r0 = Avx.LoadVector256(s);
        var r1 = Avx.LoadVector256(s + lds);
        var r2 = Avx.LoadVector256(s + (2 * lds));
        var r3 = Avx.LoadVector256(s + (3 * lds));
        var r4 = Avx.LoadVector256(s + (4 * lds));
        var r5 = Avx.LoadVector256(s + (5 * lds));
        var r6 = Avx.LoadVector256(s + (6 * lds));
        var r7 = Avx.LoadVector256(s + (7 * lds));

        // Interleave pairs of rows, then pairs of pairs (within 128-bit lanes), then swap lane halves.
        var t0 = Avx.UnpackLow(r0, r1);
        var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5);
        var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7);
        var t7 = Avx.UnpackHigh(r6, r7);
        var u0 = Avx.Shuffle(t0, t2, 0x44);
        var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44);
        var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44);
        var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44);
        var u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(d, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(d + ldd, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(d + (2 * ldd), Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(d + (3 * ldd), Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(d + (4 * ldd), Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(d + (5 * ldd), Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(d + (6 * ldd), Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(d + (7 * ldd), Avx.Permute2x128(u3, u7, 0x31));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose4x4(float* s, nint lds, float* d, nint ldd)
    {
        var r0 = Sse.LoadVector128(s);
        var r1 = Sse.LoadVector128(s + lds);
        var r2 = Sse.LoadVector128(s + (2 * lds));
        var r3 = Sse.LoadVector128(s + (3 * lds));
        var t0 = Sse.UnpackLow(r0, r1);
        var t1 = Sse.UnpackLow(r2, r3);
        var t2 = Sse.UnpackHigh(r0, r1);
        var t3 = Sse.UnpackHigh(r2, r3);
        Sse.Store(d, Sse.MoveLowToHigh(t0, t1));
        Sse.Store(d + ldd, Sse.MoveHighToLow(t1, t0));
        Sse.Store(d + (2 * ldd), Sse.MoveLowToHigh(t2, t3));
        Sse.Store(d + (3 * ldd), Sse.MoveHighToLow(t3, t2));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose4x4(double* s, nint lds, double* d, nint ldd)
    {
        var r0 = Avx.LoadVector256(s);
        var r1 = Avx.LoadVector256(s + lds);
        var r2 = Avx.LoadVector256(s + (2 * lds));
        var r3 = Avx.LoadVector256(s + (3 * lds));
        var t0 = Avx.UnpackLow(r0, r1);
        var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        Avx.Store(d, Avx.Permute2x128(t0, t2, 0x20));
        Avx.Store(d + ldd, Avx.Permute2x128(t1, t3, 0x20));
        Avx.Store(d + (2 * ldd), Avx.Permute2x128(t0, t2, 0x31));
        Avx.Store(d + (3 * ldd), Avx.Permute2x128(t1, t3, 0x31));
    }
}
