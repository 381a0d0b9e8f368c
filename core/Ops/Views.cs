namespace DistGrad;

/// <summary>The geometry of a view: which elements of a storage it sees, in which order.</summary>
internal readonly record struct Layout(int[] Shape, int[] Strides, int Offset);

/// <summary>
/// Views share storage with their input. Each op maps the input's layout to the view's; the backward of
/// a view either undoes it (transpose, unsqueeze, ...) or writes the gradient into zeros through the same
/// geometry (select, slice), which makes every view differentiable twice.
/// </summary>
public sealed partial class Tensor
{
    internal Layout Layout => new(_shape, _strides, Offset);

    /// <summary>A view with the given geometry and no autograd history (for kernels and ops).</summary>
    internal Tensor Strided(int[] shape, int[] strides, int offset) => new(Storage, shape, strides, offset) { ViewBase = ViewBase ?? this };

    internal Tensor Strided(Layout layout) => Strided(layout.Shape, layout.Strides, layout.Offset);

    internal Tensor PermutedRaw(int[] perm) => Strided(Permuted(Layout, perm));

    internal Tensor TransposedRaw(int d0, int d1) => PermutedRaw(SwapPermutation(Dim, d0, d1));

    /// <summary>The same elements seen with a new shape; fails when the strides do not allow it (use <see cref="Reshape"/>).</summary>
    public Tensor View(params int[] shape)
    {
        var newShape = Shapes.InferShape(shape, Numel);
        var strides = Shapes.ViewStrides(_shape, _strides, newShape) ?? throw new InvalidOperationException(
            "view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .Reshape(...) instead.");
        return Graph.Record("ViewBackward0", Strided(newShape, strides, Offset), [this], null, static (n, g) => [g.Reshape(n.InputShape(0))]);
    }

    /// <summary>A view with the new shape when the strides allow it, otherwise a copy.</summary>
    public Tensor Reshape(params int[] shape)
    {
        var newShape = Shapes.InferShape(shape, Numel);
        if (Shapes.ViewStrides(_shape, _strides, newShape) is { } strides)
        {
            return Graph.Record("ReshapeAliasBackward0", Strided(newShape, strides, Offset), [this], null, static (n, g) => [g.Reshape(n.InputShape(0))]);
        }

        var copy = Clone();
        var view = copy.Detach().Strided(newShape, Shapes.ContiguousStrides(newShape), 0);
        return Graph.Record("UnsafeViewBackward0", view, [copy], null, static (n, g) => [g.Reshape(n.InputShape(0))]);
    }

    /// <summary>Dims <paramref name="startDim"/>..<paramref name="endDim"/> merged into one.</summary>
    public Tensor Flatten(int startDim = 0, int endDim = -1)
    {
        if (Dim == 0)
        {
            return Reshape(1);
        }

        var s = Shapes.NormalizeDim(startDim, Dim);
        var e = Shapes.NormalizeDim(endDim, Dim);
        if (s > e)
        {
            throw new ArgumentException($"flatten() has invalid args: start_dim ({startDim}) cannot come after end_dim ({endDim})");
        }

        if (s == e)
        {
            return this;
        }

        var merged = 1;
        for (var d = s; d <= e; d++)
        {
            merged *= _shape[d];
        }

        return Reshape([.. _shape[..s], merged, .. _shape[(e + 1)..]]);
    }

    public Tensor Transpose(int dim0, int dim1)
    {
        var (d0, d1) = (Shapes.NormalizeDim(dim0, Dim), Shapes.NormalizeDim(dim1, Dim));
        return Graph.Record("TransposeBackward0", TransposedRaw(d0, d1), [this], null, (n, g) => [g.Transpose(d0, d1)]);
    }

    /// <summary>The matrix transpose of a 2-D tensor (PyTorch's x.T).</summary>
    public Tensor T => Dim <= 2
        ? Permute(Enumerable.Range(0, Dim).Reverse().ToArray())
        : throw new InvalidOperationException($"T expects a tensor with <= 2 dimensions, but this one has {Dim} (shape {Shapes.Format(_shape)}); use Transpose or Permute");

    public Tensor Permute(params int[] dims)
    {
        if (dims.Length != Dim)
        {
            throw new ArgumentException($"permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = {Dim} is not equal to len(dims) = {dims.Length}");
        }

        var perm = dims.Select(d => Shapes.NormalizeDim(d, Dim)).ToArray();
        if (perm.Distinct().Count() != perm.Length)
        {
            throw new ArgumentException($"permute(): duplicate dims are not allowed ({string.Join(", ", dims)})");
        }

        var inverse = new int[perm.Length];
        for (var i = 0; i < perm.Length; i++)
        {
            inverse[perm[i]] = i;
        }

        return Graph.Record("PermuteBackward0", PermutedRaw(perm), [this], null, (n, g) => [g.Permute(inverse)]);
    }

    public Tensor Unsqueeze(int dim)
    {
        var d = Shapes.NormalizeDim(dim, Dim + 1);
        var stride = d < Dim ? _strides[d] * _shape[d] : 1;
        var view = Strided([.. _shape[..d], 1, .. _shape[d..]], [.. _strides[..d], stride, .. _strides[d..]], Offset);
        return Graph.Record("UnsqueezeBackward0", view, [this], null, (n, g) => [g.Squeeze(d)]);
    }

    /// <summary>Removes dim <paramref name="dim"/> when its size is 1 (otherwise returns the same shape).</summary>
    public Tensor Squeeze(int dim)
    {
        var d = Shapes.NormalizeDim(dim, Dim);
        if (Dim == 0 || _shape[d] != 1)
        {
            return Graph.Record("SqueezeBackward1", Strided(_shape, _strides, Offset), [this], null, static (n, g) => [g]);
        }

        var view = Strided([.. _shape[..d], .. _shape[(d + 1)..]], [.. _strides[..d], .. _strides[(d + 1)..]], Offset);
        return Graph.Record("SqueezeBackward1", view, [this], null, (n, g) => [g.Unsqueeze(d)]);
    }

    /// <summary>Removes every dim of size 1.</summary>
    public Tensor Squeeze()
    {
        var keep = Enumerable.Range(0, Dim).Where(d => _shape[d] != 1).ToArray();
        var view = Strided(keep.Select(d => _shape[d]).ToArray(), keep.Select(d => _strides[d]).ToArray(), Offset);
        return Graph.Record("SqueezeBackward0", view, [this], null, static (n, g) => [g.Reshape(n.InputShape(0))]);
    }

    /// <summary>A broadcast view: size-1 dims repeat (stride 0), new leading dims appear; -1 keeps a size.</summary>
    public Tensor Expand(params int[] sizes)
    {
        if (sizes.Length < Dim)
        {
            throw new ArgumentException(
                $"expand: the number of sizes provided ({sizes.Length}) must be greater or equal to the number of dimensions in the tensor ({Dim})");
        }

        var lead = sizes.Length - Dim;
        var shape = new int[sizes.Length];
        var strides = new int[sizes.Length];
        for (var i = 0; i < sizes.Length; i++)
        {
            var size = sizes[i];
            if (i < lead)
            {
                if (size < 0)
                {
                    throw new ArgumentException($"The expanded size of the tensor ({size}) isn't allowed in a leading, non-existing dimension {i}");
                }

                shape[i] = size;
                continue;
            }

            var own = _shape[i - lead];
            if (size == -1)
            {
                size = own;
            }

            if (own != size && own != 1)
            {
                throw new ArgumentException(
                    $"The expanded size of the tensor ({size}) must match the existing size ({own}) at non-singleton dimension {i}.  Target sizes: {Shapes.Format(sizes)}.  Tensor sizes: {Shapes.Format(_shape)}");
            }

            shape[i] = size;
            strides[i] = own == size ? _strides[i - lead] : 0;
        }

        return Graph.Record("ExpandBackward0", Strided(shape, strides, Offset), [this], null, static (n, g) => [g.SumTo(n.InputShape(0))]);
    }

    public Tensor ExpandAs(Tensor other) => Expand(other._shape);

    /// <summary>Sums a broadcast gradient back to <paramref name="shape"/> (leading dims and size-1 dims).</summary>
    internal Tensor SumTo(int[] shape)
    {
        if (Shapes.SameShape(_shape, shape))
        {
            return this;
        }

        var lead = Dim - shape.Length;
        var dims = new List<int>();
        for (var d = 0; d < Dim; d++)
        {
            if (d < lead || (shape[d - lead] == 1 && _shape[d] != 1))
            {
                dims.Add(d);
            }
        }

        var summed = dims.Count > 0 ? Sum(dims.ToArray(), keepDim: true) : this;
        return lead > 0 || !Shapes.SameShape(summed._shape, shape) ? summed.Reshape(shape) : summed;
    }

    // ---------------------------------------------------------------- select and slice

    /// <summary>The sub-tensor at <paramref name="index"/> along <paramref name="dim"/>, which disappears.</summary>
    public Tensor Select(int dim, int index)
    {
        var d = Shapes.NormalizeDim(dim, Dim);
        var size = _shape[d];
        if (index < -size || index >= size)
        {
            throw new IndexOutOfRangeException($"index {index} is out of bounds for dimension {d} with size {size}");
        }

        var i = index < 0 ? index + size : index;
        return GeometryView("SelectBackward0", l => new Layout(
            [.. l.Shape[..d], .. l.Shape[(d + 1)..]],
            [.. l.Strides[..d], .. l.Strides[(d + 1)..]],
            l.Offset + (i * l.Strides[d])));
    }

    /// <summary>Elements start, start + step, ... below end along <paramref name="dim"/> (bounds clamp as in Python).</summary>
    public Tensor Slice(int dim, int? start = null, int? end = null, int step = 1)
    {
        if (step <= 0)
        {
            throw new ArgumentException($"slice step must be positive, got {step}");
        }

        var d = Shapes.NormalizeDim(dim, Dim);
        var size = _shape[d];
        var s = Math.Clamp(start is { } st ? (st < 0 ? st + size : st) : 0, 0, size);
        var e = Math.Clamp(end is { } en ? (en < 0 ? en + size : en) : size, s, size);
        var length = (e - s + step - 1) / step;
        if (s == 0 && e == size && step == 1)
        {
            return this;
        }

        return GeometryView("SliceBackward0", l =>
        {
            var shape = (int[])l.Shape.Clone();
            var strides = (int[])l.Strides.Clone();
            shape[d] = length;
            strides[d] *= step;
            return new Layout(shape, strides, l.Offset + (s * l.Strides[d]));
        });
    }

    /// <summary>Length elements from start along dim.</summary>
    public Tensor Narrow(int dim, int start, int length) => Slice(dim, start, start + length);

    /// <summary>A view through <paramref name="geometry"/>; its backward writes the gradient into zeros through the same geometry.</summary>
    /// <remarks>
    /// An <paramref name="absolute"/> geometry ignores the input's strides (it was measured on a contiguous
    /// base), so a non-contiguous input is made contiguous first.
    /// </remarks>
    private Tensor GeometryView(string name, Func<Layout, Layout> geometry, bool absolute = false)
    {
        var source = absolute ? Contiguous() : this;
        return Graph.Record(name, source.Strided(geometry(source.Layout)), [source], null, (n, g) => [EmbedInZeros(g, n.InputShape(0), geometry, absolute)]);
    }

    private static Tensor EmbedInZeros(Tensor grad, int[] baseShape, Func<Layout, Layout> geometry, bool absolute)
    {
        var result = Zeros(baseShape, grad.DType, device: grad.Device);
        result.Kernels.Copy(grad, result.Strided(geometry(result.Layout)));
        return Graph.Record("AsStridedScatterBackward0", result, [grad], null, (n, gg) => [gg.GeometryView("AsStridedBackward0", geometry, absolute)]);
    }

    private static Layout Permuted(Layout l, int[] perm) =>
        new(perm.Select(p => l.Shape[p]).ToArray(), perm.Select(p => l.Strides[p]).ToArray(), l.Offset);

    private static int[] SwapPermutation(int rank, int d0, int d1)
    {
        var perm = Enumerable.Range(0, rank).ToArray();
        (perm[d0], perm[d1]) = (perm[d1], perm[d0]);
        return perm;
    }
}
