using System.Numerics;

namespace DistGrad.Kernels.Cpu;

/// <summary>
/// erf and the exact (erf-based) GELU, evaluated in double precision through <see cref="ErrorFunction"/>
/// and rounded once to the tensor's dtype; long tensors are split into blocks spread over cores.
/// </summary>
internal sealed partial class CpuKernels
{
    private const int SpecialBlock = 1 << 14;

    private const double InvSqrt2 = 0.70710678118654752440;
    private const double InvSqrt2Pi = 0.39894228040143267794;

    /// <summary>A scalar function the block loops call statically (no delegate call per element).</summary>
    private interface IScalarFunction
    {
        static abstract double Apply(double x);
    }

    public Tensor Erf(Tensor x) => MapSpecial<ErfFunction>(x, "erf");

    public Tensor Gelu(Tensor x) => MapSpecial<GeluFunction>(x, "gelu");

    public Tensor GeluBackward(Tensor grad, Tensor x)
    {
        if (!Shapes.SameShape(grad.ShapeRef, x.ShapeRef) || grad.DType != x.DType)
        {
            throw new ArgumentException($"gelu backward needs grad and input of one shape and dtype, got {Shapes.Format(grad.ShapeRef)} {grad.DType.TorchName()} and {Shapes.Format(x.ShapeRef)} {x.DType.TorchName()}");
        }

        var result = NewTensor(x.DType, x.Shape);
        var (g, xd) = (Dense(grad), Dense(x));
        switch (x.DType)
        {
            case DType.Float32: GeluBackwardTyped<float>(g, xd, result); break;
            case DType.Float64: GeluBackwardTyped<double>(g, xd, result); break;
            default: throw new NotSupportedException($"gelu is not defined for {x.DType.TorchName()} tensors");
        }

        return result;
    }

    private static Tensor MapSpecial<TFunction>(Tensor x, string name)
        where TFunction : IScalarFunction
    {
        var result = NewTensor(x.DType, x.Shape);
        var src = Dense(x);
        switch (x.DType)
        {
            case DType.Float32: MapSpecialTyped<float, TFunction>(src, result); break;
            case DType.Float64: MapSpecialTyped<double, TFunction>(src, result); break;
            default: throw new NotSupportedException($"{name} is not defined for {x.DType.TorchName()} tensors");
        }

        return result;
    }

    private static void MapSpecialTyped<T, TFunction>(Tensor x, Tensor result)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TFunction : IScalarFunction
    {
        var (src, so) = (CpuStorage.Of<T>(x), x.Offset);
        var dst = CpuStorage.Of<T>(result);
        ForBlocks(x.Numel, (start, end) =>
        {
            var input = src.AsSpan(so + start, end - start);
            var output = dst.AsSpan(start, end - start);
            for (var i = 0; i < input.Length; i++)
            {
                output[i] = T.CreateTruncating(TFunction.Apply(double.CreateTruncating(input[i])));
            }
        });
    }

    private static void GeluBackwardTyped<T>(Tensor grad, Tensor x, Tensor result)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (gd, go) = (CpuStorage.Of<T>(grad), grad.Offset);
        var (xd, xo) = (CpuStorage.Of<T>(x), x.Offset);
        var dst = CpuStorage.Of<T>(result);
        ForBlocks(x.Numel, (start, end) =>
        {
            var g = gd.AsSpan(go + start, end - start);
            var input = xd.AsSpan(xo + start, end - start);
            var output = dst.AsSpan(start, end - start);
            for (var i = 0; i < input.Length; i++)
            {
                var v = double.CreateTruncating(input[i]);
                var cdf = 0.5 * ErrorFunction.Erfc(-v * InvSqrt2);
                var pdf = InvSqrt2Pi * Math.Exp(-0.5 * v * v);
                output[i] = T.CreateTruncating(double.CreateTruncating(g[i]) * (cdf + (v * pdf)));
            }
        });
    }

    private static void ForBlocks(int count, Action<int, int> body)
    {
        if (count <= SpecialBlock)
        {
            body(0, count);
            return;
        }

        var blocks = (count + SpecialBlock - 1) / SpecialBlock;
        CpuThreads.For(0, blocks, b => body(b * SpecialBlock, Math.Min(count, (b + 1) * SpecialBlock)));
    }

    private readonly struct ErfFunction : IScalarFunction
    {
        public static double Apply(double x) => ErrorFunction.Erf(x);
    }

    /// <summary>x·Φ(x), with Φ(x) = erfc(−x/√2)/2 so that the far negative tail keeps its relative accuracy.</summary>
    private readonly struct GeluFunction : IScalarFunction
    {
        public static double Apply(double x) => x * 0.5 * ErrorFunction.Erfc(-x * InvSqrt2);
    }
}
