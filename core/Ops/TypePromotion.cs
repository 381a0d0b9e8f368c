namespace DistGrad;

/// <summary>
/// PyTorch's result_type: tensors with dims outrank zero-dim tensors, which outrank wrapped C# numbers;
/// a lower rank changes the dtype only when it is of a higher category (bool &lt; integer &lt; floating).
/// So a scalar never promotes a tensor's dtype, but an Int64 tensor times 2.5 is Float32.
/// </summary>
internal static class TypePromotion
{
    public static DType ResultType(Tensor a, Tensor b)
    {
        DType? dims = null, zeroDim = null, wrapped = null;
        foreach (var t in (ReadOnlySpan<Tensor>)[a, b])
        {
            if (t.IsWrappedNumber)
            {
                wrapped = Merge(wrapped, t.DType.IsFloating() ? DType.Float32 : t.DType);
            }
            else if (t.Dim == 0)
            {
                zeroDim = Merge(zeroDim, t.DType);
            }
            else
            {
                dims = Merge(dims, t.DType);
            }
        }

        return Combine(dims, Combine(zeroDim, wrapped)) ?? DType.Float32;
    }

    private static DType Merge(DType? current, DType next) => current is { } c ? DTypes.Promote(c, next) : next;

    private static DType? Combine(DType? higher, DType? lower)
    {
        if (higher is not { } h)
        {
            return lower;
        }

        if (lower is not { } l || h.IsFloating())
        {
            return h;
        }

        return h == DType.Bool || l.IsFloating() ? DTypes.Promote(h, l) : h;
    }

    /// <summary>Whether an in-place op may store a <paramref name="from"/> result into a <paramref name="to"/> tensor.</summary>
    public static bool CanCast(DType from, DType to) => DTypes.Category(from) <= DTypes.Category(to);
}
