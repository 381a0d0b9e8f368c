namespace DistGrad.Kernels.Ilgpu;

/// <summary>
/// A kernel parameter that maps the row-major position of an element to its place in storage: an offset plus up
/// to six (size, stride) dims, right-aligned (dim 5 is innermost). Host code merges dims whose strides allow it
/// first, so views of any rank usually need one to three. Dense views skip the index arithmetic altogether.
/// </summary>
internal struct StridedLayout
{
    public const int MaxRank = 6;

    public int Offset;
    public int Dense;
    public int Size1;
    public int Size2;
    public int Size3;
    public int Size4;
    public int Size5;
    public int Stride0;
    public int Stride1;
    public int Stride2;
    public int Stride3;
    public int Stride4;
    public int Stride5;

    /// <summary>The storage position of the element at row-major position <paramref name="linear"/>.</summary>
    public readonly int At(int linear)
    {
        if (Dense != 0)
        {
            return Offset + linear;
        }

        var offset = Offset;
        var q = linear / Size5;
        offset += (linear - (q * Size5)) * Stride5;
        linear = q;
        q = linear / Size4;
        offset += (linear - (q * Size4)) * Stride4;
        linear = q;
        q = linear / Size3;
        offset += (linear - (q * Size3)) * Stride3;
        linear = q;
        q = linear / Size2;
        offset += (linear - (q * Size2)) * Stride2;
        linear = q;
        q = linear / Size1;
        offset += (linear - (q * Size1)) * Stride1;
        return offset + (q * Stride0);
    }

    /// <summary>The layout of a tensor's elements.</summary>
    public static StridedLayout Of(Tensor t) => t.IsContiguous ? DenseAt(t.Offset) : Of(t.ShapeRef, t.StridesRef, t.Offset);

    /// <summary>A contiguous run starting at <paramref name="offset"/>.</summary>
    public static StridedLayout DenseAt(int offset) => new() { Offset = offset, Dense = 1, Size1 = 1, Size2 = 1, Size3 = 1, Size4 = 1, Size5 = 1 };

    /// <summary>
    /// Any (sizes, strides, offset) geometry. Size-1 dims are dropped and neighbours merged where the outer stride is
    /// the inner one times its size, which leaves the row-major numbering of the elements unchanged.
    /// </summary>
    public static StridedLayout Of(int[] sizes, int[] strides, int offset)
    {
        Span<int> s = stackalloc int[sizes.Length];
        Span<int> t = stackalloc int[sizes.Length];
        var rank = 0;
        for (var d = 0; d < sizes.Length; d++)
        {
            if (sizes[d] == 1)
            {
                continue;
            }

            if (rank > 0 && t[rank - 1] == strides[d] * sizes[d])
            {
                s[rank - 1] *= sizes[d];
                t[rank - 1] = strides[d];
                continue;
            }

            s[rank] = sizes[d];
            t[rank] = strides[d];
            rank++;
        }

        if (rank == 0 || (rank == 1 && t[0] == 1))
        {
            return DenseAt(offset);
        }

        if (rank > MaxRank)
        {
            throw new NotSupportedException($"the ILGPU kernels index views of at most {MaxRank} non-mergeable dims; this one has sizes {Shapes.Format(sizes)} and strides {Shapes.Format(strides)}: call Contiguous() first");
        }

        Span<int> size = [1, 1, 1, 1, 1, 1];
        Span<int> stride = [0, 0, 0, 0, 0, 0];
        for (var d = 0; d < rank; d++)
        {
            size[MaxRank - rank + d] = s[d];
            stride[MaxRank - rank + d] = t[d];
        }

        return new StridedLayout
        {
            Offset = offset,
            Size1 = size[1],
            Size2 = size[2],
            Size3 = size[3],
            Size4 = size[4],
            Size5 = size[5],
            Stride0 = stride[0],
            Stride1 = stride[1],
            Stride2 = stride[2],
            Stride3 = stride[3],
            Stride4 = stride[4],
            Stride5 = stride[5],
        };
    }
}
