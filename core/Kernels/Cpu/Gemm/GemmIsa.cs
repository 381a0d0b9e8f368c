using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DistGrad.Kernels.Cpu.Gemm;

/// <summary>Which micro-kernel a GEMM runs: the widest this machine accelerates, or one named (tests run each).</summary>
internal enum GemmIsa
{
    Auto,
    Vector512,
    Vector256,
    Scalar,
}

internal static class GemmIsas
{
    /// <summary>The widest kernel this machine runs at speed.</summary>
    public static readonly GemmIsa Best =
        Vector512.IsHardwareAccelerated ? GemmIsa.Vector512
        : Vector256.IsHardwareAccelerated && Fma.IsSupported ? GemmIsa.Vector256
        : GemmIsa.Scalar;

    public static GemmIsa Resolve(this GemmIsa isa) => isa == GemmIsa.Auto ? Best : isa;
}
