using System.Numerics;

namespace DistGrad.Kernels.Cpu;

/// <summary>Moving elements: fill, strided copy with dtype conversion, host transfers.</summary>
internal sealed partial class CpuKernels
{
    public Array ToHost(Tensor source)
    {
        var dense = NewTensor(source.DType, source.Shape);
        Copy(source, dense);
        return ((CpuStorage)dense.Storage).Data;
    }

    public void Fill(Tensor destination, double value)
    {
        switch (destination.DType)
        {
            case DType.Float32: FillTyped(destination, (float)value); break;
            case DType.Float64: FillTyped(destination, value); break;
            case DType.Int64: FillTyped(destination, (long)value); break;
            default: FillTyped(destination, value != 0); break;
        }
    }

    private static void FillTyped<T>(Tensor destination, T value)
    {
        var data = CpuStorage.Of<T>(destination);
        var cursor = Cursor(destination);
        var n = cursor.RowLength;
        var stride = cursor.InnerStrides[0];
        for (var r = 0; r < cursor.Rows; r++)
        {
            var o = cursor.Offsets[0];
            if (stride == 1)
            {
                data.AsSpan(o, n).Fill(value);
            }
            else
            {
                for (var i = 0; i < n; i++)
                {
                    data[o + (i * stride)] = value;
                }
            }

            cursor.Advance();
        }
    }

    public void Copy(Tensor source, Tensor destination)
    {
        if (!Shapes.SameShape(source.ShapeRef, destination.ShapeRef))
        {
            throw new ArgumentException($"copy needs equal shapes, got {Shapes.Format(source.ShapeRef)} and {Shapes.Format(destination.ShapeRef)}");
        }

        switch ((source.DType, destination.DType))
        {
            case (DType.Float32, DType.Float32): CopySame<float>(source, destination); break;
            case (DType.Float64, DType.Float64): CopySame<double>(source, destination); break;
            case (DType.Int64, DType.Int64): CopySame<long>(source, destination); break;
            case (DType.Bool, DType.Bool): CopySame<bool>(source, destination); break;
            default: CopyConverting(source, destination); break;
        }
    }

    private static void CopySame<T>(Tensor source, Tensor destination)
    {
        var src = CpuStorage.Of<T>(source);
        var dst = CpuStorage.Of<T>(destination);
        var cursor = Cursor(source, destination);
        var n = cursor.RowLength;
        var (ss, ds) = (cursor.InnerStrides[0], cursor.InnerStrides[1]);
        for (var r = 0; r < cursor.Rows; r++)
        {
            var (so, dof) = (cursor.Offsets[0], cursor.Offsets[1]);
            if (ss == 1 && ds == 1)
            {
                src.AsSpan(so, n).CopyTo(dst.AsSpan(dof, n));
            }
            else
            {
                for (var i = 0; i < n; i++)
                {
                    dst[dof + (i * ds)] = src[so + (i * ss)];
                }
            }

            cursor.Advance();
        }
    }

    private static void CopyConverting(Tensor source, Tensor destination)
    {
        switch (destination.DType)
        {
            case DType.Float32: ConvertInto<float>(source, destination); break;
            case DType.Float64: ConvertInto<double>(source, destination); break;
            case DType.Int64: ConvertInto<long>(source, destination); break;
            default: ConvertToBool(source, destination); break;
        }
    }

    private static void ConvertInto<TDst>(Tensor source, Tensor destination)
        where TDst : INumber<TDst>
    {
        switch (source.DType)
        {
            case DType.Float32: Convert<float, TDst>(source, destination); break;
            case DType.Float64: Convert<double, TDst>(source, destination); break;
            case DType.Int64: Convert<long, TDst>(source, destination); break;
            default: Map<bool, TDst>(source, destination, b => b ? TDst.One : TDst.Zero); break;
        }
    }

    private static void Convert<TSrc, TDst>(Tensor source, Tensor destination)
        where TSrc : INumber<TSrc>
        where TDst : INumber<TDst> =>
        Map<TSrc, TDst>(source, destination, TDst.CreateTruncating);

    private static void ConvertToBool(Tensor source, Tensor destination)
    {
        switch (source.DType)
        {
            case DType.Float32: Map<float, bool>(source, destination, v => v != 0); break;
            case DType.Float64: Map<double, bool>(source, destination, v => v != 0); break;
            default: Map<long, bool>(source, destination, v => v != 0); break;
        }
    }

    /// <summary>dst[i] = f(src[i]) over two strided operands of one shape.</summary>
    private static void Map<TSrc, TDst>(Tensor source, Tensor destination, Func<TSrc, TDst> f)
    {
        var src = CpuStorage.Of<TSrc>(source);
        var dst = CpuStorage.Of<TDst>(destination);
        var cursor = Cursor(source, destination);
        var n = cursor.RowLength;
        var (ss, ds) = (cursor.InnerStrides[0], cursor.InnerStrides[1]);
        for (var r = 0; r < cursor.Rows; r++)
        {
            var (so, dof) = (cursor.Offsets[0], cursor.Offsets[1]);
            for (var i = 0; i < n; i++)
            {
                dst[dof + (i * ds)] = f(src[so + (i * ss)]);
            }

            cursor.Advance();
        }
    }
}
