namespace DistGrad.Data;

/// <summary>The element types an IDX magic number can name (its third byte).</summary>
internal enum IdxElement : byte
{
    UByte = 0x08,
    SByte = 0x09,
    Int16 = 0x0B,
    Int32 = 0x0C,
    Float32 = 0x0D,
    Float64 = 0x0E,
}

internal static class IdxElements
{
    public static int Size(this IdxElement element) => element switch
    {
        IdxElement.UByte or IdxElement.SByte => 1,
        IdxElement.Int16 => 2,
        IdxElement.Int32 or IdxElement.Float32 => 4,
        _ => 8,
    };

    /// <summary>The dtype that holds every value of the element type exactly.</summary>
    public static DType NaturalDType(this IdxElement element) => element switch
    {
        IdxElement.Float32 => DType.Float32,
        IdxElement.Float64 => DType.Float64,
        _ => DType.Int64,
    };
}
