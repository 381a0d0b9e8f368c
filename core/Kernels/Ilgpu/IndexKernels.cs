using ILGPU;

namespace DistGrad.Kernels.Ilgpu;

/// <summary>
/// Device code of indexing by int64 index tensors and by masks. A kernel cannot throw, so an index out of range
/// is skipped and raises a flag in <c>error</c>; the host reports it at its next read of device memory, as a CUDA
/// device-side assert would. Additions into repeated indices go through atomics.
/// </summary>
internal static class IndexKernels
{
    public const int IndexOutOfRange = 1;
    public const int TooFewValues = 2;

    /// <summary>
    /// out[o, j, i] = source[o, index[j], i] over [outer, k, inner] (source numbered as [outer, size, inner]).
    /// </summary>
    public static void Select<T>(Index1D e, ArrayView<T> source, StridedLayout ls, ArrayView<long> index, StridedLayout li, ArrayView<T> y, int k, int size, int inner, ArrayView<int> error)
        where T : unmanaged
    {
        var i = e % inner;
        var rest = e / inner;
        var j = rest % k;
        var o = rest / k;
        var v = index[li.At(j)];
        if (v < 0 || v >= size)
        {
            error[0] = IndexOutOfRange;
            return;
        }

        y[e] = source[ls.At((((o * size) + (int)v) * inner) + i)];
    }

    /// <summary>destination[o, index[j], i] += source[o, j, i] (destination dense, starting at <c>offset</c>).</summary>
    public static void Add<T, TM>(Index1D e, ArrayView<T> destination, int offset, ArrayView<long> index, StridedLayout li, ArrayView<T> source, StridedLayout ls, int k, int size, int inner, ArrayView<int> error)
        where T : unmanaged
        where TM : struct, INumeric<T>
    {
        var i = e % inner;
        var rest = e / inner;
        var j = rest % k;
        var o = rest / k;
        var v = index[li.At(j)];
        if (v < 0 || v >= size)
        {
            error[0] = IndexOutOfRange;
            return;
        }

        default(TM).AtomicAdd(destination, offset + (((o * size) + (int)v) * inner) + i, source[ls.At(e)]);
    }

    /// <summary>
    /// out[p] = source[p with the coordinate along dim replaced by index[p]]: <c>lt</c> numbers the index's positions
    /// in the source with that dim's stride set to 0, and <c>dimStride</c> adds the index's coordinate.
    /// </summary>
    public static void Gather<T>(Index1D e, ArrayView<T> source, StridedLayout lt, int dimStride, int size, ArrayView<long> index, StridedLayout li, ArrayView<T> y, ArrayView<int> error)
        where T : unmanaged
    {
        var v = index[li.At(e)];
        if (v < 0 || v >= size)
        {
            error[0] = IndexOutOfRange;
            return;
        }

        y[e] = source[lt.At(e) + ((int)v * dimStride)];
    }

    /// <summary>The adjoint of <see cref="Gather{T}"/>: destination[p with dim replaced by index[p]] += source[p].</summary>
    public static void ScatterAdd<T, TM>(Index1D e, ArrayView<T> destination, StridedLayout lt, int dimStride, int size, ArrayView<long> index, StridedLayout li, ArrayView<T> source, StridedLayout ls, ArrayView<int> error)
        where T : unmanaged
        where TM : struct, INumeric<T>
    {
        var v = index[li.At(e)];
        if (v < 0 || v >= size)
        {
            error[0] = IndexOutOfRange;
            return;
        }

        default(TM).AtomicAdd(destination, lt.At(e) + ((int)v * dimStride), source[ls.At(e)]);
    }

    /// <summary>flags[i] = mask[i] as 0/1 ints, the input of the prefix sum that numbers the selected elements.</summary>
    public static void Flags(Index1D i, ArrayView<byte> mask, StridedLayout lm, ArrayView<int> flags)
    {
        flags[i] = mask[lm.At(i)] != 0 ? 1 : 0;
    }

    /// <summary>y[position[i]] = source[i] where mask[i] (position: the exclusive prefix sum of the mask).</summary>
    public static void Compact<T>(Index1D i, ArrayView<T> source, StridedLayout ls, ArrayView<int> flags, ArrayView<int> position, ArrayView<T> y)
        where T : unmanaged
    {
        if (flags[i] != 0)
        {
            y[position[i]] = source[ls.At(i)];
        }
    }

    /// <summary>destination[i] = values[position[i]] where mask[i]; flags an error when the values run out.</summary>
    public static void Spread<T>(Index1D i, ArrayView<T> destination, StridedLayout ld, ArrayView<int> flags, ArrayView<int> position, ArrayView<T> values, StridedLayout lv, int count, ArrayView<int> error)
        where T : unmanaged
    {
        if (flags[i] == 0)
        {
            return;
        }

        var p = position[i];
        if (p >= count)
        {
            error[0] = TooFewValues;
            return;
        }

        destination[ld.At(i)] = values[lv.At(p)];
    }
}
