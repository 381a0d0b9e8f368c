using System.Runtime.CompilerServices;

namespace DistGrad;

/// <summary>
/// Indexers: basic indexing (integers, ranges, slices, new axes, ellipsis) gives views; a Bool mask
/// gives the selected elements (a copy) or assigns in place. All indexers share one name because C#
/// requires it, and "Item" is taken by <see cref="Item()"/>.
/// </summary>
public sealed partial class Tensor
{
    [IndexerName("Masked")]
    public Tensor this[params TensorIndex[] indices]
    {
        get => Index(indices);
        set => Index(indices).CopyFrom(value);
    }

    // Integer-only overloads: an int also converts to Tensor (through float), and without an exact
    // match "x[0]" would pick the mask indexer.
    [IndexerName("Masked")]
    public Tensor this[int i]
    {
        get => Index([i]);
        set => Index([i]).CopyFrom(value);
    }

    [IndexerName("Masked")]
    public Tensor this[int i, int j]
    {
        get => Index([i, j]);
        set => Index([i, j]).CopyFrom(value);
    }

    [IndexerName("Masked")]
    public Tensor this[int i, int j, int k]
    {
        get => Index([i, j, k]);
        set => Index([i, j, k]).CopyFrom(value);
    }

    /// <summary>Boolean-mask indexing: get the selected elements as 1-D, or assign where the mask is true.</summary>
    [IndexerName("Masked")]
    public Tensor this[Tensor mask]
    {
        get => MaskedSelect(mask);
        set
        {
            if (value.Numel == 1)
            {
                MaskedFillInPlace(mask, value);
            }
            else
            {
                MaskedScatterInPlace(mask, value);
            }
        }
    }

    private Tensor Index(TensorIndex[] indices)
    {
        var explicitDims = indices.Count(i => i.IndexKind is TensorIndex.Kind.Single or TensorIndex.Kind.Slice);
        if (explicitDims > Dim)
        {
            throw new IndexOutOfRangeException($"too many indices for tensor of dimension {Dim} ({explicitDims} given)");
        }

        if (indices.Count(i => i.IndexKind == TensorIndex.Kind.Ellipsis) > 1)
        {
            throw new ArgumentException("an index can only have a single ellipsis");
        }

        var result = this;
        var dim = 0;
        foreach (var index in indices)
        {
            switch (index.IndexKind)
            {
                case TensorIndex.Kind.Single:
                    result = result.Select(dim, TensorIndex.Resolve(index.Start));
                    break;
                case TensorIndex.Kind.Slice:
                    result = result.Slice(
                        dim,
                        index.HasStart ? TensorIndex.Resolve(index.Start) : null,
                        index.HasEnd ? ResolveEnd(index.End, result._shape[dim]) : null,
                        index.Step);
                    dim++;
                    break;
                case TensorIndex.Kind.NewAxis:
                    result = result.Unsqueeze(dim);
                    dim++;
                    break;
                default:
                    dim += Dim - explicitDims;
                    break;
            }
        }

        return result;
    }

    // "^0" as an end means "to the end", which the negative-int convention cannot express.
    private static int ResolveEnd(Index end, int size) => end.IsFromEnd ? size - end.Value : end.Value;

    /// <summary>
    /// A Bool mask covers the leading dims exactly (PyTorch's rule); it is returned expanded over the
    /// remaining dims, so kernels see one mask element per tensor element.
    /// </summary>
    private Tensor FullMask(Tensor mask)
    {
        if (mask.DType != DType.Bool)
        {
            throw new ArgumentException($"indexing with a tensor needs a Bool mask, got {mask.DType.TorchName()}");
        }

        if (mask.Dim > Dim)
        {
            throw new IndexOutOfRangeException($"too many indices for tensor of dimension {Dim} (the mask has {mask.Dim} dims)");
        }

        for (var i = 0; i < mask.Dim; i++)
        {
            if (mask._shape[i] != _shape[i])
            {
                throw new ArgumentException(
                    $"The shape of the mask {Shapes.Format(mask._shape)} at index {i} does not match the shape of the indexed tensor {Shapes.Format(_shape)} at index {i}");
            }
        }

        var trailing = Enumerable.Repeat(1, Dim - mask.Dim);
        return mask.Detach().Reshape([.. mask._shape, .. trailing]).Expand(_shape);
    }

    /// <summary>The elements where <paramref name="mask"/> is true, in row-major order (1-D copy).</summary>
    public Tensor MaskedSelect(Tensor mask)
    {
        var full = FullMask(mask);
        var selected = Kernels.MaskedSelect(this, full);
        var rest = _shape[mask.Dim..];
        var result = rest.Length == 0 ? selected : new Tensor(selected.Storage, [selected.Numel / Math.Max(Shapes.Numel(rest), 1), .. rest]);
        return Graph.Record("IndexBackward0", result, [this], [full], static (n, g) => [MaskedScatterIntoZeros(g, n.Saved(0))]);
    }

    private static Tensor MaskedScatterIntoZeros(Tensor values, Tensor mask)
    {
        var result = Zeros(mask._shape, values.DType, device: values.Device);
        result.Kernels.MaskedScatter(result, mask, values);
        return Graph.Record("MaskedScatterBackward0", result, [values], [mask], static (n, gg) => [gg.MaskedSelect(n.Saved(0)).Reshape(n.InputShape(0))]);
    }

    /// <summary>Sets elements where <paramref name="mask"/> is true to <paramref name="value"/> (a one-element tensor), in place.</summary>
    public Tensor MaskedFillInPlace(Tensor mask, Tensor value)
    {
        if (value.Numel != 1)
        {
            throw new ArgumentException($"masked fill only supports a 1-element value, got shape {Shapes.Format(value._shape)}");
        }

        var full = FullMask(mask);
        return ApplyInPlace(self => self.MaskedFill(full, value), savesSelf: false, value);
    }

    private Tensor MaskedFill(Tensor fullMask, Tensor value)
    {
        var result = Clone().Detach();
        result.Kernels.MaskedFill(result, fullMask, value.Item());
        return Graph.Record("IndexPutBackward0", result, [this, value], [fullMask], static (n, g) =>
            [g * n.Saved(0).LogicalNot(), n.NeedsInputGrad(1) ? g.MaskedSelect(n.Saved(0)).Sum().Reshape(n.InputShape(1)) : null]);
    }

    private Tensor MaskedScatterInPlace(Tensor mask, Tensor values)
    {
        var full = FullMask(mask);
        return ApplyInPlace(self => self.MaskedScatter(full, values), savesSelf: false, values);
    }

    private Tensor MaskedScatter(Tensor fullMask, Tensor values)
    {
        var selected = fullMask.Sum().Item();
        if (values.Numel != (long)selected)
        {
            throw new ArgumentException($"shape mismatch: value tensor of shape {Shapes.Format(values._shape)} cannot be broadcast to indexing result of shape [{selected}]");
        }

        var result = Clone().Detach();
        var flat = values.To(DType).Reshape(-1).Detach();
        result.Kernels.MaskedScatter(result, fullMask, flat);
        return Graph.Record("IndexPutBackward0", result, [this, values], [fullMask], static (n, g) =>
            [g * n.Saved(0).LogicalNot(), n.NeedsInputGrad(1) ? g.MaskedSelect(n.Saved(0)).Reshape(n.InputShape(1)) : null]);
    }
}
