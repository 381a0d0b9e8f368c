namespace DistGrad.Kernels.Cpu;

/// <summary>
/// Walks several strided operands of one shape row by row. Dims that are contiguous for every operand
/// are merged first, so a contiguous tensor is one long row and SIMD primitives see long spans.
/// </summary>
internal sealed class RowCursor
{
    private readonly int[] _outerShape;
    private readonly int[][] _outerStrides;
    private readonly int[] _index;
    private readonly int[] _startOffsets;

    public RowCursor(int[] shape, int[][] strides, int[] offsets)
    {
        var (dims, merged) = Coalesce(shape, strides);
        var operands = strides.Length;
        RowLength = dims.Length == 0 ? 1 : dims[^1];
        InnerStrides = new int[operands];
        for (var o = 0; o < operands; o++)
        {
            InnerStrides[o] = dims.Length == 0 ? 1 : merged[o][^1];
        }

        var outerRank = Math.Max(dims.Length - 1, 0);
        _outerShape = dims[..outerRank];
        _outerStrides = new int[operands][];
        for (var o = 0; o < operands; o++)
        {
            _outerStrides[o] = merged[o][..outerRank];
        }

        _index = new int[outerRank];
        Offsets = (int[])offsets.Clone();
        _startOffsets = (int[])offsets.Clone();
        Rows = RowLength == 0 ? 0 : Shapes.Numel(_outerShape);
    }

    public int RowLength { get; }

    public int Rows { get; }

    /// <summary>Stride of each operand along the row.</summary>
    public int[] InnerStrides { get; }

    /// <summary>Where the current row starts in each operand's storage.</summary>
    public int[] Offsets { get; }

    public void Advance()
    {
        for (var d = _outerShape.Length - 1; d >= 0; d--)
        {
            _index[d]++;
            for (var o = 0; o < Offsets.Length; o++)
            {
                Offsets[o] += _outerStrides[o][d];
            }

            if (_index[d] < _outerShape[d])
            {
                return;
            }

            for (var o = 0; o < Offsets.Length; o++)
            {
                Offsets[o] -= _outerStrides[o][d] * _outerShape[d];
            }

            _index[d] = 0;
        }
    }

    /// <summary>Moves to row <paramref name="row"/> (in row-major order), so chunks of rows can run on separate cursors.</summary>
    public void Seek(int row)
    {
        _startOffsets.CopyTo(Offsets, 0);
        for (var d = _outerShape.Length - 1; d >= 0; d--)
        {
            _index[d] = row % _outerShape[d];
            row /= _outerShape[d];
            for (var o = 0; o < Offsets.Length; o++)
            {
                Offsets[o] += _index[d] * _outerStrides[o][d];
            }
        }
    }

    private static (int[] Shape, int[][] Strides) Coalesce(int[] shape, int[][] strides)
    {
        var keep = new List<int>();
        for (var d = 0; d < shape.Length; d++)
        {
            if (shape[d] != 1)
            {
                keep.Add(d);
            }
        }

        var dims = new List<int>();
        var merged = strides.Select(_ => new List<int>()).ToArray();
        foreach (var d in keep)
        {
            var canMerge = dims.Count > 0;
            for (var o = 0; canMerge && o < strides.Length; o++)
            {
                canMerge = merged[o][^1] == strides[o][d] * shape[d];
            }

            if (canMerge)
            {
                dims[^1] *= shape[d];
                for (var o = 0; o < strides.Length; o++)
                {
                    merged[o][^1] = strides[o][d];
                }
            }
            else
            {
                dims.Add(shape[d]);
                for (var o = 0; o < strides.Length; o++)
                {
                    merged[o].Add(strides[o][d]);
                }
            }
        }

        return (dims.ToArray(), merged.Select(m => m.ToArray()).ToArray());
    }

    /// <summary>A row of an operand as a span: in place when unit-stride, else gathered into scratch.</summary>
    public static ReadOnlySpan<T> Read<T>(T[] data, int offset, int stride, int length, ref T[]? scratch)
    {
        if (stride == 1)
        {
            return data.AsSpan(offset, length);
        }

        if (scratch == null || scratch.Length < length)
        {
            scratch = new T[length];
        }

        var row = scratch.AsSpan(0, length);
        if (stride == 0)
        {
            row.Fill(data[offset]);
        }
        else
        {
            for (var i = 0; i < length; i++)
            {
                row[i] = data[offset + (i * stride)];
            }
        }

        return row;
    }
}

/// <summary>Per-thread gather buffers for strided rows, so elementwise chunks on several cores never share one.</summary>
internal static class RowScratch<T>
{
    [ThreadStatic]
    public static T[]? First;

    [ThreadStatic]
    public static T[]? Second;
}
