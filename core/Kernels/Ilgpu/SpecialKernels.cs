using DistGrad.Kernels.Cpu;
using ILGPU;

namespace DistGrad.Kernels.Ilgpu;

/// <summary>
/// erf and the exact GELU, evaluated in double through the CPU backend's <see cref="ErrorFunction"/> (constants and
/// arithmetic only, so it compiles for the device too) and rounded once, so both backends agree to the last bit
/// wherever the device's exp does.
/// </summary>
internal static class SpecialKernels
{
    public const int Erf = 0;
    public const int Gelu = 1;

    private const double InvSqrt2 = 0.70710678118654752440;
    private const double InvSqrt2Pi = 0.39894228040143267794;

    public static void Map<T, TM>(Index1D i, ArrayView<T> x, StridedLayout lx, ArrayView<T> y, int function)
        where T : unmanaged
        where TM : struct, INumeric<T>
    {
        var m = default(TM);
        var v = m.ToDouble(x[lx.At(i)]);
        y[i] = m.FromDouble(function == Erf ? ErrorFunction.Erf(v) : v * 0.5 * ErrorFunction.Erfc(-v * InvSqrt2));
    }

    /// <summary>grad · (Φ(x) + x·φ(x)).</summary>
    public static void GeluBackward<T, TM>(Index1D i, ArrayView<T> grad, StridedLayout lg, ArrayView<T> x, StridedLayout lx, ArrayView<T> y)
        where T : unmanaged
        where TM : struct, INumeric<T>
    {
        var m = default(TM);
        var v = m.ToDouble(x[lx.At(i)]);
        var cdf = 0.5 * ErrorFunction.Erfc(-v * InvSqrt2);
        var pdf = InvSqrt2Pi * Math.Exp(-0.5 * v * v);
        y[i] = m.FromDouble(m.ToDouble(grad[lg.At(i)]) * (cdf + (v * pdf)));
    }
}
