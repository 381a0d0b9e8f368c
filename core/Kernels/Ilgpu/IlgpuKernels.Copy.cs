using System.Runtime.InteropServices;
using ILGPU;
using ILGPU.Runtime;

namespace DistGrad.Kernels.Ilgpu;

/// <summary>Moving elements: host transfers, fill, strided copy with dtype conversion.</summary>
internal sealed partial class IlgpuKernels
{
    public Storage FromHost(Array data)
    {
        var dtype = DTypes.FromClr(data.GetType().GetElementType()!);
        var storage = NewStorage(dtype, data.Length);
        var bytes = HostBytes(data);
        if (bytes.Length > 0)
        {
            storage.Bytes.SubView(0, bytes.Length).CopyFromCPU(Stream, bytes);
        }

        return storage;
    }

    public Array ToHost(Tensor source)
    {
        _launch.Bind();
        var dense = Dense(source);
        var result = source.DType switch
        {
            DType.Float32 => new float[source.Numel],
            DType.Float64 => new double[source.Numel],
            DType.Int64 => new long[source.Numel],
            _ => (Array)new bool[source.Numel],
        };

        var bytes = HostBytes(result);
        if (bytes.Length > 0)
        {
            var size = source.DType.ElementSize();
            View<byte>(dense).SubView((long)dense.Offset * size, bytes.Length).CopyToCPU(Stream, bytes);
        }

        Stream.Synchronize();
        ThrowIfKernelFailed();
        return result;
    }

    private static Span<byte> HostBytes(Array data) => data switch
    {
        float[] f => MemoryMarshal.AsBytes(f.AsSpan()),
        double[] d => MemoryMarshal.AsBytes(d.AsSpan()),
        long[] l => MemoryMarshal.AsBytes(l.AsSpan()),
        bool[] b => MemoryMarshal.AsBytes(b.AsSpan()),
        _ => throw new NotSupportedException($"element type {data.GetType().GetElementType()?.Name} is not a DistGrad dtype"),
    };

    public void Fill(Tensor destination, double value) => ByDType(
        destination.DType,
        () => FillTyped(destination, (float)value),
        () => FillTyped(destination, value),
        () => FillTyped(destination, (long)value),
        () => FillTyped(destination, value != 0 ? (byte)1 : (byte)0),
        "fill");

    private void FillTyped<T>(Tensor destination, T value)
        where T : unmanaged =>
        _launch.Launch(destination.Numel, ElementKernels.Fill, View<T>(destination), Layout(destination), value);

    public void Copy(Tensor source, Tensor destination)
    {
        if (!Shapes.SameShape(source.ShapeRef, destination.ShapeRef))
        {
            throw new ArgumentException($"copy needs equal shapes, got {Shapes.Format(source.ShapeRef)} and {Shapes.Format(destination.ShapeRef)}");
        }

        switch (source.DType)
        {
            case DType.Float32: CopyFrom<float, F32>(source, destination); break;
            case DType.Float64: CopyFrom<double, F64>(source, destination); break;
            case DType.Int64: CopyFrom<long, I64>(source, destination); break;
            default: CopyFrom<byte, U8>(source, destination); break;
        }
    }

    private void CopyFrom<TS, TMS>(Tensor source, Tensor destination)
        where TS : unmanaged
        where TMS : struct, INumeric<TS>
    {
        if (source.DType == destination.DType)
        {
            MapInto<TS, TS, Identity<TS>>(source, destination, default);
            return;
        }

        switch (destination.DType)
        {
            case DType.Float32: MapInto<TS, float, Convert<TS, float, TMS, F32>>(source, destination, default); break;
            case DType.Float64: MapInto<TS, double, Convert<TS, double, TMS, F64>>(source, destination, default); break;
            case DType.Int64: MapInto<TS, long, Convert<TS, long, TMS, I64>>(source, destination, default); break;
            default: MapInto<TS, byte, Convert<TS, byte, TMS, U8>>(source, destination, default); break;
        }
    }

    /// <summary>destination[i] = op(source[i]) over two strided views of one shape.</summary>
    private void MapInto<TIn, TOut, TOp>(Tensor source, Tensor destination, TOp op)
        where TIn : unmanaged
        where TOut : unmanaged
        where TOp : struct, IMap<TIn, TOut> =>
        _launch.Launch(destination.Numel, ElementKernels.Map<TIn, TOut, TOp>, View<TIn>(source), Layout(source), View<TOut>(destination), Layout(destination), op);

    /// <summary>A fresh dense tensor holding op(source[i]).</summary>
    private Tensor MapNew<TIn, TOut, TOp>(Tensor source, DType dtype, TOp op)
        where TIn : unmanaged
        where TOut : unmanaged
        where TOp : struct, IMap<TIn, TOut>
    {
        var result = NewTensor(dtype, source.Shape);
        MapInto<TIn, TOut, TOp>(source, result, op);
        return result;
    }
}
