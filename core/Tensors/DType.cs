namespace DistGrad;

/// <summary>Element types a tensor can hold (PyTorch's float32, float64, int64 and bool).</summary>
public enum DType
{
    Float32,
    Float64,
    Int64,
    Bool,
}

/// <summary>Facts about dtypes and PyTorch's type-promotion lattice.</summary>
public static class DTypes
{
    public static bool IsFloating(this DType dtype) => dtype is DType.Float32 or DType.Float64;

    public static int ElementSize(this DType dtype) => dtype switch
    {
        DType.Float32 => 4,
        DType.Float64 => 8,
        DType.Int64 => 8,
        DType.Bool => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype)),
    };

    /// <summary>PyTorch's printed name, e.g. "torch.float32".</summary>
    public static string TorchName(this DType dtype) => dtype switch
    {
        DType.Float32 => "torch.float32",
        DType.Float64 => "torch.float64",
        DType.Int64 => "torch.int64",
        DType.Bool => "torch.bool",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype)),
    };

    /// <summary>The smallest dtype both promote to (bool &lt; int64 &lt; float32 &lt; float64).</summary>
    public static DType Promote(DType a, DType b) => Rank(a) >= Rank(b) ? a : b;

    private static int Rank(DType d) => d switch
    {
        DType.Bool => 0,
        DType.Int64 => 1,
        DType.Float32 => 2,
        DType.Float64 => 3,
        _ => throw new ArgumentOutOfRangeException(nameof(d)),
    };

    internal static int Category(DType d) => d switch
    {
        DType.Bool => 0,
        DType.Int64 => 1,
        _ => 2,
    };

    internal static DType FromClr(Type t) =>
        t == typeof(float) ? DType.Float32
        : t == typeof(double) ? DType.Float64
        : t == typeof(long) ? DType.Int64
        : t == typeof(bool) ? DType.Bool
        : throw new NotSupportedException($"element type {t.Name} is not a DistGrad dtype (float, double, long, bool)");
}
