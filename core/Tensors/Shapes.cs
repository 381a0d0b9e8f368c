namespace DistGrad;

/// <summary>Shape arithmetic shared by ops and kernels: strides, broadcasting, dim normalisation.</summary>
internal static class Shapes
{
    public static int Numel(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (var s in shape)
        {
            n *= s;
        }

        if (n > int.MaxValue)
        {
            throw new ArgumentException($"a tensor of shape {Format(shape)} has {n} elements, more than DistGrad's limit of {int.MaxValue}");
        }

        return (int)n;
    }

    public static int[] ContiguousStrides(ReadOnlySpan<int> shape)
    {
        if (shape.Length == 0)
        {
            // The shared empty array: every scalar (each wrapped C# number among them) would allocate one.
            return [];
        }

        var strides = new int[shape.Length];
        var acc = 1;
        for (var i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = acc;
            acc *= Math.Max(shape[i], 1);
        }

        return strides;
    }

    /// <summary>"[2, 3]" — the way PyTorch lists sizes in its messages.</summary>
    public static string Format(ReadOnlySpan<int> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";

    public static int NormalizeDim(int dim, int rank, string? op = null)
    {
        var r = Math.Max(rank, 1);
        if (dim < -r || dim >= r)
        {
            throw new ArgumentOutOfRangeException(nameof(dim), $"{op ?? "dim"}: dimension out of range (expected to be in range of [{-r}, {r - 1}], but got {dim})");
        }

        return dim < 0 ? dim + r : dim;
    }

    public static int[] Broadcast(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        var rank = Math.Max(a.Length, b.Length);
        var result = new int[rank];
        for (var i = 0; i < rank; i++)
        {
            var da = i - (rank - a.Length);
            var db = i - (rank - b.Length);
            var sa = da >= 0 ? a[da] : 1;
            var sb = db >= 0 ? b[db] : 1;
            if (sa != sb && sa != 1 && sb != 1)
            {
                throw new ArgumentException(
                    $"The size of tensor a ({sa}) must match the size of tensor b ({sb}) at non-singleton dimension {i} (shapes {Format(a)} and {Format(b)})");
            }

            result[i] = sa == 1 ? sb : sa;
        }

        return result;
    }

    public static bool SameShape(ReadOnlySpan<int> a, ReadOnlySpan<int> b) => a.SequenceEqual(b);

    /// <summary>True when <paramref name="from"/> broadcasts to <paramref name="to"/>.</summary>
    public static bool ExpandableTo(ReadOnlySpan<int> from, ReadOnlySpan<int> to)
    {
        if (from.Length > to.Length)
        {
            return false;
        }

        for (var i = 1; i <= from.Length; i++)
        {
            var f = from[^i];
            if (f != 1 && f != to[^i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Resolves one -1 in a requested shape against the element count.</summary>
    public static int[] InferShape(ReadOnlySpan<int> requested, int numel)
    {
        var shape = requested.ToArray();
        var infer = -1;
        long known = 1;
        for (var i = 0; i < shape.Length; i++)
        {
            if (shape[i] == -1)
            {
                if (infer >= 0)
                {
                    throw new ArgumentException("only one dimension can be inferred");
                }

                infer = i;
            }
            else if (shape[i] < 0)
            {
                throw new ArgumentException($"invalid shape dimension {shape[i]} in {Format(requested)}");
            }
            else
            {
                known *= shape[i];
            }
        }

        if (infer >= 0)
        {
            if (known == 0 || numel % known != 0)
            {
                throw new ArgumentException($"shape '{Format(requested)}' is invalid for input of size {numel}");
            }

            shape[infer] = (int)(numel / known);
        }
        else if (known != numel)
        {
            throw new ArgumentException($"shape '{Format(requested)}' is invalid for input of size {numel}");
        }

        return shape;
    }

    /// <summary>
    /// Strides that let a tensor of (shape, strides) be seen as <paramref name="newShape"/> without a copy,
    /// or null when no such strides exist (PyTorch's computeStride).
    /// </summary>
    public static int[]? ViewStrides(ReadOnlySpan<int> shape, ReadOnlySpan<int> strides, ReadOnlySpan<int> newShape)
    {
        var newStrides = new int[newShape.Length];
        if (shape.Length == 0 || Numel(shape) == 0)
        {
            return ContiguousStrides(newShape);
        }

        var viewD = newShape.Length - 1;
        var chunkBaseStride = strides.Length > 0 ? strides[^1] : 1;
        long tensorNumel = 1;
        long viewNumel = 1;
        for (var tensorD = shape.Length - 1; tensorD >= 0; tensorD--)
        {
            tensorNumel *= shape[tensorD];
            if (tensorD == 0 || (shape[tensorD - 1] != 1 && strides[tensorD - 1] != tensorNumel * chunkBaseStride))
            {
                while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] == 1))
                {
                    newStrides[viewD] = (int)(viewNumel * chunkBaseStride);
                    viewNumel *= newShape[viewD];
                    viewD--;
                }

                if (viewNumel != tensorNumel)
                {
                    return null;
                }

                if (tensorD > 0)
                {
                    chunkBaseStride = strides[tensorD - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }

        return viewD != -1 ? null : newStrides;
    }
}
