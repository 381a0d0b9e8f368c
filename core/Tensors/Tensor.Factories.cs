using DistGrad.Kernels;

namespace DistGrad;

/// <summary>Ways to make a tensor: from C# values, filled, ranges and random draws.</summary>
public sealed partial class Tensor
{
    public static Tensor Scalar(float value, bool requiresGrad = false) => FromArray(new[] { value }, [], requiresGrad);

    public static Tensor Scalar(double value, bool requiresGrad = false) => FromArray(new[] { value }, [], requiresGrad);

    public static Tensor Scalar(long value) => FromArray(new[] { value }, [], false);

    public static Tensor Scalar(bool value) => FromArray(new[] { value }, [], false);

    public static Tensor From(float[] data, bool requiresGrad = false) => FromArray(data, [data.Length], requiresGrad);

    public static Tensor From(double[] data, bool requiresGrad = false) => FromArray(data, [data.Length], requiresGrad);

    public static Tensor From(long[] data) => FromArray(data, [data.Length], false);

    public static Tensor From(int[] data) => FromArray(Array.ConvertAll(data, v => (long)v), [data.Length], false);

    public static Tensor From(bool[] data) => FromArray(data, [data.Length], false);

    public static Tensor From(float[,] data, bool requiresGrad = false) => FromMultiDim<float>(data, requiresGrad);

    public static Tensor From(double[,] data, bool requiresGrad = false) => FromMultiDim<double>(data, requiresGrad);

    public static Tensor From(long[,] data) => FromMultiDim<long>(data, false);

    public static Tensor From(float[,,] data, bool requiresGrad = false) => FromMultiDim<float>(data, requiresGrad);

    public static Tensor From(double[,,] data, bool requiresGrad = false) => FromMultiDim<double>(data, requiresGrad);

    /// <summary>A tensor of the given shape over a copy of a flat array.</summary>
    public static Tensor From<T>(T[] data, int[] shape, bool requiresGrad = false)
    {
        if (Shapes.Numel(shape) != data.Length)
        {
            throw new ArgumentException($"{data.Length} values cannot fill a tensor of shape {Shapes.Format(shape)}");
        }

        return FromArray(data, (int[])shape.Clone(), requiresGrad);
    }

    private static Tensor FromMultiDim<T>(Array data, bool requiresGrad)
    {
        var shape = Enumerable.Range(0, data.Rank).Select(data.GetLength).ToArray();
        var flat = new T[data.Length];
        var i = 0;
        foreach (T v in data)
        {
            flat[i++] = v;
        }

        return FromArray(flat, shape, requiresGrad);
    }

    private static Tensor FromArray(Array flat, int[] shape, bool requiresGrad) =>
        new Tensor(KernelRegistry.For(Device.Cpu).FromHost(flat), shape).SetRequiresGrad(requiresGrad);

    /// <summary>An uninitialised-by-contract tensor (zeros on the CPU).</summary>
    public static Tensor Empty(int[] shape, DType dtype = DType.Float32, Device? device = null)
    {
        foreach (var s in shape)
        {
            if (s < 0)
            {
                throw new ArgumentException($"Trying to create tensor with negative dimension {s}: {Shapes.Format(shape)}");
            }
        }

        var kernels = KernelRegistry.For(device ?? Device.Cpu);
        return new Tensor(kernels.Allocate(dtype, Shapes.Numel(shape)), (int[])shape.Clone());
    }

    public static Tensor Zeros(int[] shape, DType dtype = DType.Float32, bool requiresGrad = false, Device? device = null) =>
        Full(shape, 0, dtype, requiresGrad, device);

    public static Tensor Ones(int[] shape, DType dtype = DType.Float32, bool requiresGrad = false, Device? device = null) =>
        Full(shape, 1, dtype, requiresGrad, device);

    public static Tensor Full(int[] shape, double value, DType dtype = DType.Float32, bool requiresGrad = false, Device? device = null)
    {
        var t = Empty(shape, dtype, device);
        if (value != 0 || device is { Type: not DeviceType.Cpu })
        {
            t.Kernels.Fill(t, value);
        }

        return t.SetRequiresGrad(requiresGrad);
    }

    public static Tensor ZerosLike(Tensor other, bool requiresGrad = false) => Zeros(other._shape, other.DType, requiresGrad, other.Device);

    public static Tensor OnesLike(Tensor other, bool requiresGrad = false) => Ones(other._shape, other.DType, requiresGrad, other.Device);

    public static Tensor FullLike(Tensor other, double value, bool requiresGrad = false) => Full(other._shape, value, other.DType, requiresGrad, other.Device);

    public static Tensor RandnLike(Tensor other, bool requiresGrad = false, Generator? generator = null) =>
        Randn(other._shape, other.DType, requiresGrad, generator, other.Device);

    /// <summary>Integers start, start + step, ... below end (Int64), as torch.arange with integer arguments.</summary>
    public static Tensor Arange(long start, long end, long step = 1)
    {
        var count = RangeCount(start, end, step);
        var data = new long[count];
        for (var i = 0; i < count; i++)
        {
            data[i] = start + (i * step);
        }

        return From(data);
    }

    public static Tensor Arange(long end) => Arange(0, end);

    /// <summary>Values start, start + step, ... below end, of a floating dtype.</summary>
    public static Tensor Arange(double start, double end, double step = 1, DType dtype = DType.Float32)
    {
        var count = RangeCount(start, end, step);
        var data = new double[count];
        for (var i = 0; i < count; i++)
        {
            data[i] = start + (i * step);
        }

        return From(data).To(dtype);
    }

    private static int RangeCount(double start, double end, double step)
    {
        if (step == 0 || double.IsNaN(step))
        {
            throw new ArgumentException("arange: step must be nonzero", nameof(step));
        }

        if ((end - start) / step < 0)
        {
            throw new ArgumentException($"arange: upper bound and larger bound inconsistent with step sign (start {start}, end {end}, step {step})");
        }

        return (int)Math.Ceiling((end - start) / step);
    }

    /// <summary>Standard-normal samples.</summary>
    public static Tensor Randn(int[] shape, DType dtype = DType.Float32, bool requiresGrad = false, Generator? generator = null, Device? device = null) =>
        Random(shape, dtype, requiresGrad, generator ?? Generator.Default, device, g => g.NextNormal());

    /// <summary>Uniform samples in [0, 1).</summary>
    public static Tensor Rand(int[] shape, DType dtype = DType.Float32, bool requiresGrad = false, Generator? generator = null, Device? device = null) =>
        Random(shape, dtype, requiresGrad, generator ?? Generator.Default, device, g => g.NextDouble());

    /// <summary>Uniform integers in [low, high), Int64.</summary>
    public static Tensor RandInt(long low, long high, int[] shape, Generator? generator = null)
    {
        if (high <= low)
        {
            throw new ArgumentException($"randint: low ({low}) must be less than high ({high})");
        }

        var g = generator ?? Generator.Default;
        var data = new long[Shapes.Numel(shape)];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = low + g.NextLong(high - low);
        }

        return From(data, shape);
    }

    private static Tensor Random(int[] shape, DType dtype, bool requiresGrad, Generator generator, Device? device, Func<Generator, double> draw)
    {
        if (!dtype.IsFloating())
        {
            throw new ArgumentException($"random normal and uniform tensors must be floating point, got {dtype.TorchName()}", nameof(dtype));
        }

        var data = new double[Shapes.Numel(shape)];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = draw(generator);
        }

        var host = dtype == DType.Float64 ? FromArray(data, (int[])shape.Clone(), false) : FromArray(Array.ConvertAll(data, v => (float)v), (int[])shape.Clone(), false);
        return host.To(device ?? Device.Cpu).SetRequiresGrad(requiresGrad);
    }
}
