using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace DistGrad.Kernels.Cpu.Gemm;

/// <summary>
/// Fused multiply-add and tile stores over Float32 or Float64 vectors. The type tests are JIT-time
/// constants, so each instantiation compiles to the one FMA instruction of its element type.
/// </summary>
internal static class GemmVector
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Fma<T>(Vector512<T> x, Vector512<T> y, Vector512<T> z)
    {
        if (typeof(T) == typeof(float))
        {
            return Vector512.FusedMultiplyAdd(x.As<T, float>(), y.As<T, float>(), z.As<T, float>()).As<float, T>();
        }

        if (typeof(T) == typeof(double))
        {
            return Vector512.FusedMultiplyAdd(x.As<T, double>(), y.As<T, double>(), z.As<T, double>()).As<double, T>();
        }

        throw new NotSupportedException($"GEMM vectors hold float or double, not {typeof(T)}");
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Fma<T>(Vector256<T> x, Vector256<T> y, Vector256<T> z)
    {
        if (typeof(T) == typeof(float))
        {
            return Vector256.FusedMultiplyAdd(x.As<T, float>(), y.As<T, float>(), z.As<T, float>()).As<float, T>();
        }

        if (typeof(T) == typeof(double))
        {
            return Vector256.FusedMultiplyAdd(x.As<T, double>(), y.As<T, double>(), z.As<T, double>()).As<double, T>();
        }

        throw new NotSupportedException($"GEMM vectors hold float or double, not {typeof(T)}");
    }

    /// <summary>Writes (or adds) two adjacent vectors of one C row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Store<T>(T* row, Vector512<T> v0, Vector512<T> v1, bool accumulate)
        where T : unmanaged
    {
        var w = Vector512<T>.Count;
        if (accumulate)
        {
            v0 += Vector512.Load(row);
            v1 += Vector512.Load(row + w);
        }

        v0.Store(row);
        v1.Store(row + w);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Store<T>(T* row, Vector256<T> v0, Vector256<T> v1, bool accumulate)
        where T : unmanaged
    {
        var w = Vector256<T>.Count;
        if (accumulate)
        {
            v0 += Vector256.Load(row);
            v1 += Vector256.Load(row + w);
        }

        v0.Store(row);
        v1.Store(row + w);
    }
}
