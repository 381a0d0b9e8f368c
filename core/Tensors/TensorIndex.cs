namespace DistGrad;

/// <summary>
/// One entry of an indexer: an integer (selects, the dim disappears), a range or a stepped slice,
/// <see cref="NewAxis"/> (adds a dim of size 1) or <see cref="Ellipsis"/> (as many full slices as needed).
/// </summary>
public readonly struct TensorIndex
{
    private TensorIndex(Kind kind, Index start = default, Index end = default, int step = 1, bool hasStart = false, bool hasEnd = false)
    {
        IndexKind = kind;
        Start = start;
        End = end;
        Step = step;
        HasStart = hasStart;
        HasEnd = hasEnd;
    }

    internal enum Kind
    {
        Single,
        Slice,
        NewAxis,
        Ellipsis,
    }

    internal Kind IndexKind { get; }

    internal Index Start { get; }

    internal Index End { get; }

    internal int Step { get; }

    internal bool HasStart { get; }

    internal bool HasEnd { get; }

    public static TensorIndex NewAxis => new(Kind.NewAxis);

    public static TensorIndex Ellipsis => new(Kind.Ellipsis);

    /// <summary>Python's start:end:step; null bounds mean the whole dim.</summary>
    public static TensorIndex Slice(int? start = null, int? end = null, int step = 1) =>
        new(Kind.Slice, FromInt(start ?? 0), FromInt(end ?? 0), step, start.HasValue, end.HasValue);

    public static implicit operator TensorIndex(int index) => new(Kind.Single, FromInt(index));

    public static implicit operator TensorIndex(Index index) => new(Kind.Single, index);

    public static implicit operator TensorIndex(Range range) =>
        new(Kind.Slice, range.Start, range.End, 1, !range.Start.Equals(Index.Start), !range.End.Equals(Index.End));

    private static Index FromInt(int i) => i < 0 ? Index.FromEnd(-i) : Index.FromStart(i);

    internal static int Resolve(Index i) => i.IsFromEnd ? -i.Value : i.Value;
}
