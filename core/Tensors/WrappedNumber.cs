namespace DistGrad;

/// <summary>
/// The C# number behind a wrapped-number tensor: a double (Float64) or a long (Int64), as PyTorch wraps a
/// Python float or int. Kept beside the one-element storage so casts need not read it back from a device.
/// A class, not a struct: a nullable struct field would grow every tensor, and only wrapped numbers carry one.
/// </summary>
internal sealed record WrappedNumber(double Real, long Integer)
{
    /// <summary>
    /// A one-element host array of the number in <paramref name="to"/> when that is a floating dtype, converted
    /// as the copy kernel converts (round to nearest); null for other targets, which take the kernel path.
    /// </summary>
    public Array? ToFloating(DType from, DType to) => (from, to) switch
    {
        (DType.Float64, DType.Float32) => new[] { (float)Real },
        (DType.Int64, DType.Float32) => new[] { (float)Integer },
        (DType.Int64, DType.Float64) => new[] { (double)Integer },
        _ => null,
    };
}
