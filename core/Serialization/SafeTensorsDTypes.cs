namespace DistGrad.Serialization;

/// <summary>The safetensors names of DistGrad's dtypes, and the names DistGrad does not read.</summary>
internal static class SafeTensorsDTypes
{
    // Every dtype the format defines: a file may hold them, DistGrad has no tensor type for them.
    private static readonly HashSet<string> Unsupported =
        ["U8", "I8", "I16", "U16", "F16", "BF16", "I32", "U32", "U64", "F8_E5M2", "F8_E4M3", "F8_E8M0", "F4", "F6_E2M3", "F6_E3M2", "C64"];

    public static string Name(DType dtype) => dtype switch
    {
        DType.Float32 => "F32",
        DType.Float64 => "F64",
        DType.Int64 => "I64",
        DType.Bool => "BOOL",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype)),
    };

    /// <summary>The dtype a header names, or an error message saying why there is none.</summary>
    public static (DType? DType, string? Error) Parse(string name) => name switch
    {
        "F32" => (DType.Float32, null),
        "F64" => (DType.Float64, null),
        "I64" => (DType.Int64, null),
        "BOOL" => (DType.Bool, null),
        _ when Unsupported.Contains(name) => (null, $"dtype {name} is not supported (DistGrad reads F32, F64, I64 and BOOL)"),
        _ => (null, $"unknown dtype \"{name}\""),
    };
}
