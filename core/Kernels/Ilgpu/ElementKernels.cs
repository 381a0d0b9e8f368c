using ILGPU;

namespace DistGrad.Kernels.Ilgpu;

/// <summary>Device code of the elementwise kernels: one thread per element, strided operands through <see cref="StridedLayout"/>.</summary>
internal static class ElementKernels
{
    /// <summary>y[i] = op(x[i]) (unary ops, copies and dtype conversions; y may be a strided view).</summary>
    public static void Map<TIn, TOut, TOp>(Index1D i, ArrayView<TIn> x, StridedLayout lx, ArrayView<TOut> y, StridedLayout ly, TOp op)
        where TIn : unmanaged
        where TOut : unmanaged
        where TOp : struct, IMap<TIn, TOut>
    {
        y[ly.At(i)] = op.Apply(x[lx.At(i)]);
    }

    /// <summary>y[i] = op(a[i], b[i]) into a fresh dense y.</summary>
    public static void Zip<TA, TB, TOut, TOp>(Index1D i, ArrayView<TA> a, StridedLayout la, ArrayView<TB> b, StridedLayout lb, ArrayView<TOut> y, TOp op)
        where TA : unmanaged
        where TB : unmanaged
        where TOut : unmanaged
        where TOp : struct, IZip<TA, TB, TOut>
    {
        y[i] = op.Apply(a[la.At(i)], b[lb.At(i)]);
    }

    public static void Fill<T>(Index1D i, ArrayView<T> y, StridedLayout ly, T value)
        where T : unmanaged
    {
        y[ly.At(i)] = value;
    }

    /// <summary>y[i] = value where mask[i] (y and mask strided views of one shape).</summary>
    public static void MaskedFill<T>(Index1D i, ArrayView<T> y, StridedLayout ly, ArrayView<byte> mask, StridedLayout lm, T value)
        where T : unmanaged
    {
        if (mask[lm.At(i)] != 0)
        {
            y[ly.At(i)] = value;
        }
    }
}
