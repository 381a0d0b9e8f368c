namespace DistGrad;

/// <summary>
/// Indexing with Int64 index tensors: index_select, gather and embedding read, and their backward rules
/// add the gradient back at the same positions (index_add, scatter_add into zeros), whose own backward rules
/// read again. The pairs are each other's adjoints, so every order of derivative is one of these ops.
/// </summary>
public sealed partial class Tensor
{
    /// <summary>
    /// The slices at positions <paramref name="index"/> (1-D Int64) along <paramref name="dim"/>, in index order;
    /// repeated positions repeat. The backward adds each slice's gradient at its position.
    /// </summary>
    public Tensor IndexSelect(int dim, Tensor index)
    {
        var d = Shapes.NormalizeDim(dim, Dim);
        if (index.DType != DType.Int64)
        {
            throw new ArgumentException($"index_select(): Expected dtype int64 for index, got {index.DType.TorchName()}");
        }

        if (index.Dim > 1)
        {
            throw new IndexOutOfRangeException($"index_select(): Index is supposed to be a vector, got index of size {Shapes.Format(index._shape)}");
        }

        if (Dim == 0 && index.Numel != 1)
        {
            throw new IndexOutOfRangeException($"index_select(): Index to scalar can have only 1 value, got {index.Numel} value(s)");
        }

        var source = Dim == 0 ? Detach().Reshape(1) : this;
        var result = Kernels.IndexSelect(source, d, index.Detach().Reshape(-1));
        if (Dim == 0)
        {
            result = new Tensor(result.Storage, []);
        }

        return Graph.Record("IndexSelectBackward0", result, [this], [index], (n, g) =>
            [Zeros(n.InputShape(0), g.DType, device: g.Device).IndexAdd(d, n.Saved(0), g)]);
    }

    /// <summary>
    /// A copy of this tensor with slice i of <paramref name="source"/> added into slice index[i] along
    /// <paramref name="dim"/> (PyTorch's out-of-place index_add); repeated positions accumulate.
    /// </summary>
    public Tensor IndexAdd(int dim, Tensor index, Tensor source)
    {
        var d = Shapes.NormalizeDim(dim, Dim);
        if (index.DType != DType.Int64)
        {
            throw new ArgumentException($"index_add_(): Expected dtype int64 for index, got {index.DType.TorchName()}");
        }

        if (index.Dim > 1)
        {
            throw new IndexOutOfRangeException($"index_add_(): Index is supposed to be a vector, got index of size {Shapes.Format(index._shape)}");
        }

        if (source.DType != DType)
        {
            throw new ArgumentException($"index_add_(): self ({ScalarTypeName(DType)}) and source ({ScalarTypeName(source.DType)}) must have the same scalar type");
        }

        var (selfShape, sourceShape) = (AtLeast1D(_shape), AtLeast1D(source._shape));
        var sourceSize = source.Dim == 0 ? 1 : sourceShape[d];
        if (index.Numel != sourceSize)
        {
            throw new ArgumentException($"index_add_(): Number of indices ({index.Numel}) should be equal to source.size(dim): ({sourceSize}), for dim: {d}");
        }

        var shapesMatch = sourceShape.Length == selfShape.Length;
        for (var i = 0; shapesMatch && i < selfShape.Length; i++)
        {
            shapesMatch = i == d || selfShape[i] == sourceShape[i];
        }

        if (!shapesMatch)
        {
            throw new ArgumentException(
                $"source tensor shape must match self tensor shape, excluding the specified dimension. Got self.shape = {Shapes.Format(_shape)} source.shape = {Shapes.Format(source._shape)}");
        }

        var result = Empty(selfShape, DType, Device);
        Kernels.Copy(Detach().Reshape(selfShape), result);
        Kernels.IndexAdd(result, d, index.Detach().Reshape(-1), source.Detach().Reshape(sourceShape));
        result = new Tensor(result.Storage, Shape);
        return Graph.Record("IndexAddBackward0", result, [this, source], [index], (n, g) =>
            [g, n.NeedsInputGrad(1) ? g.IndexSelect(d, n.Saved(0)).Reshape(n.InputShape(1)) : null]);
    }

    /// <summary>
    /// out[i] = this[i with coordinate <paramref name="dim"/> replaced by index[i]]: the result has the shape
    /// of <paramref name="index"/> (Int64, same number of dims, no larger than this tensor outside dim).
    /// Picking one logit per row, for example: logits.Gather(1, targets.Unsqueeze(1)).
    /// </summary>
    public Tensor Gather(int dim, Tensor index)
    {
        var d = Shapes.NormalizeDim(dim, Dim);
        if (index.DType != DType.Int64)
        {
            throw new ArgumentException($"gather(): Expected dtype int64 for index, got {index.DType.TorchName()}");
        }

        var (selfShape, indexShape) = (AtLeast1D(_shape), AtLeast1D(index._shape));
        if (selfShape.Length != indexShape.Length)
        {
            throw new ArgumentException(
                $"Index tensor must have the same number of dimensions as input tensor (index {Shapes.Format(index._shape)}, input {Shapes.Format(_shape)})");
        }

        for (var i = 0; i < selfShape.Length; i++)
        {
            if (i != d && indexShape[i] > selfShape[i])
            {
                throw new ArgumentException(
                    $"Size does not match at dimension {i} expected index {Shapes.Format(index._shape)} to be smaller than self {Shapes.Format(_shape)} apart from dimension {d}");
            }
        }

        var gathered = Kernels.Gather(Detach().Reshape(selfShape), d, index.Detach().Reshape(indexShape));
        var result = new Tensor(gathered.Storage, index.Shape);
        return Graph.Record("GatherBackward0", result, [this], [index], (n, g) =>
            [Zeros(n.InputShape(0), g.DType, device: g.Device).ScatterAdd(d, n.Saved(0), g)]);
    }

    /// <summary>
    /// A copy of this tensor with source[i] added at [i with coordinate <paramref name="dim"/> replaced by
    /// index[i]] for every position i of <paramref name="index"/> (PyTorch's out-of-place scatter_add);
    /// repeated targets accumulate.
    /// </summary>
    public Tensor ScatterAdd(int dim, Tensor index, Tensor source)
    {
        var d = Shapes.NormalizeDim(dim, Dim);
        if (index.DType != DType.Int64)
        {
            throw new ArgumentException($"scatter(): Expected dtype int64 for index, got {index.DType.TorchName()}");
        }

        if (source.DType != DType)
        {
            throw new ArgumentException($"scatter(): Expected self.dtype to be equal to src.dtype (self {DType.TorchName()}, src {source.DType.TorchName()})");
        }

        var (selfShape, indexShape, sourceShape) = (AtLeast1D(_shape), AtLeast1D(index._shape), AtLeast1D(source._shape));
        if (indexShape.Length != selfShape.Length || sourceShape.Length != selfShape.Length)
        {
            throw new ArgumentException(
                $"Index tensor must have the same number of dimensions as self tensor and src tensor (index {Shapes.Format(index._shape)}, self {Shapes.Format(_shape)}, src {Shapes.Format(source._shape)})");
        }

        var narrower = false;
        for (var i = 0; i < selfShape.Length; i++)
        {
            if ((i != d && indexShape[i] > selfShape[i]) || indexShape[i] > sourceShape[i])
            {
                throw new ArgumentException(
                    $"Expected index {Shapes.Format(index._shape)} to be smaller than self {Shapes.Format(_shape)} apart from dimension {d} and to be smaller size than src {Shapes.Format(source._shape)}");
            }

            narrower |= indexShape[i] < sourceShape[i];
        }

        // Only the leading index-shaped block of source is read: narrow it so the gradient has that shape.
        if (narrower)
        {
            for (var i = 0; i < source.Dim; i++)
            {
                source = source.Narrow(i, 0, indexShape[i]);
            }
        }

        var result = Empty(selfShape, DType, Device);
        Kernels.Copy(Detach().Reshape(selfShape), result);
        Kernels.ScatterAdd(result, d, index.Detach().Reshape(indexShape), source.Detach().Reshape(indexShape));
        result = new Tensor(result.Storage, Shape);
        return Graph.Record("ScatterAddBackward0", result, [this, source], [index], (n, g) =>
            [g, n.NeedsInputGrad(1) ? g.Gather(d, n.Saved(0)) : null]);
    }

    /// <summary>
    /// Rows of <paramref name="weight"/> [numEmbeddings, embeddingDim] picked by Int64 <paramref name="indices"/>
    /// of any shape → [..indices.Shape, embeddingDim]. The backward adds each output row's gradient into its
    /// row, so repeated indices accumulate; rows equal to <paramref name="paddingIdx"/> get no gradient.
    /// </summary>
    public static Tensor Embedding(Tensor weight, Tensor indices, int? paddingIdx = null)
    {
        if (indices.DType != DType.Int64)
        {
            throw new ArgumentException(
                $"Expected tensor for argument #1 'indices' to have one of the following scalar types: Long; but got {indices.DType.TorchName()} instead (while checking arguments for embedding)");
        }

        if (weight.Dim != 2)
        {
            throw new ArgumentException($"'weight' must be 2-D, got weight of size {Shapes.Format(weight._shape)}");
        }

        var numEmbeddings = weight._shape[0];
        if (paddingIdx is { } p && (p >= numEmbeddings || p < -numEmbeddings))
        {
            throw new ArgumentException($"Padding_idx must be within num_embeddings (padding_idx {p}, num_embeddings {numEmbeddings})");
        }

        int? pad = paddingIdx is { } q && q < 0 ? q + numEmbeddings : paddingIdx;
        var flat = indices.Detach().Reshape(-1);
        var rows = weight.Kernels.IndexSelect(weight, 0, flat);
        var result = new Tensor(rows.Storage, [.. indices._shape, weight._shape[1]]);
        return Graph.Record("EmbeddingBackward0", result, [weight], [flat], (n, g) =>
            [EmbeddingDenseBackward(g, n.Saved(0), n.InputShape(0), pad)]);
    }

    /// <summary>The weight gradient of <see cref="Embedding"/>: each gradient row added into its index's row.</summary>
    private static Tensor EmbeddingDenseBackward(Tensor grad, Tensor flatIndices, int[] weightShape, int? pad)
    {
        var result = Zeros(weightShape, grad.DType, device: grad.Device);
        result.Kernels.IndexAdd(result, 0, flatIndices, grad.Detach().Reshape(flatIndices.Numel, weightShape[1]));
        if (pad is { } p)
        {
            // Only lookups of the padding row added into it.
            result.Kernels.Fill(result.Detach().Select(0, p), 0);
        }

        return Graph.Record("EmbeddingDenseBackwardBackward0", result, [grad], [flatIndices], (n, gg) =>
        {
            var idx = n.Saved(0);
            var rows = gg.IndexSelect(0, idx);
            if (pad is { } p)
            {
                rows = ZeroWhere(rows, idx.Eq(p).Unsqueeze(1));
            }

            return [rows.Reshape(n.InputShape(0))];
        });
    }

    private static int[] AtLeast1D(int[] shape) => shape.Length == 0 ? [1] : shape;
}
