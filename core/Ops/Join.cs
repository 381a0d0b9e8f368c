namespace DistGrad;

/// <summary>Joining tensors: cat along an existing dim, stack along a new one.</summary>
public sealed partial class Tensor
{
    /// <summary>Concatenates along <paramref name="dim"/>; the other dims must match.</summary>
    public static Tensor Cat(IReadOnlyList<Tensor> tensors, int dim = 0)
    {
        if (tensors.Count == 0)
        {
            throw new ArgumentException("torch.cat(): expected a non-empty list of Tensors");
        }

        var first = tensors[0];
        var d = Shapes.NormalizeDim(dim, first.Dim);
        if (first.Dim == 0)
        {
            throw new ArgumentException("zero-dimensional tensor (at position 0) cannot be concatenated");
        }

        var dtype = first.DType;
        var total = 0;
        for (var i = 0; i < tensors.Count; i++)
        {
            var t = tensors[i];
            if (t.Dim != first.Dim)
            {
                throw new ArgumentException($"Tensors must have same number of dimensions: got {first.Dim} and {t.Dim} (tensor at position {i})");
            }

            for (var j = 0; j < t.Dim; j++)
            {
                if (j != d && t._shape[j] != first._shape[j])
                {
                    throw new ArgumentException(
                        $"Sizes of tensors must match except in dimension {d}. Expected size {first._shape[j]} but got size {t._shape[j]} for tensor number {i} in the list (shapes {Shapes.Format(first._shape)} and {Shapes.Format(t._shape)})");
                }
            }

            dtype = DTypes.Promote(dtype, t.DType);
            total += t._shape[d];
        }

        var shape = first.Shape;
        shape[d] = total;
        var result = Empty(shape, dtype, first.Device);
        var sizes = new int[tensors.Count];
        var offset = 0;
        for (var i = 0; i < tensors.Count; i++)
        {
            sizes[i] = tensors[i]._shape[d];
            result.Kernels.Copy(tensors[i].Detach(), result.Detach().Slice(d, offset, offset + sizes[i]));
            offset += sizes[i];
        }

        return Graph.Record("CatBackward0", result, tensors.ToArray(), null, (n, g) =>
        {
            var grads = new Tensor?[sizes.Length];
            var start = 0;
            for (var i = 0; i < sizes.Length; i++)
            {
                grads[i] = n.NeedsInputGrad(i) ? g.Narrow(d, start, sizes[i]) : null;
                start += sizes[i];
            }

            return grads;
        });
    }

    /// <summary>Stacks tensors of one shape along a new dim <paramref name="dim"/>.</summary>
    public static Tensor Stack(IReadOnlyList<Tensor> tensors, int dim = 0)
    {
        if (tensors.Count == 0)
        {
            throw new ArgumentException("stack expects a non-empty TensorList");
        }

        var shape = tensors[0]._shape;
        for (var i = 1; i < tensors.Count; i++)
        {
            if (!Shapes.SameShape(tensors[i]._shape, shape))
            {
                throw new ArgumentException(
                    $"stack expects each tensor to be equal size, but got {Shapes.Format(shape)} at entry 0 and {Shapes.Format(tensors[i]._shape)} at entry {i}");
            }
        }

        var d = Shapes.NormalizeDim(dim, shape.Length + 1);
        Tensor joined;
        using (Autograd.NoGrad())
        {
            joined = Cat(tensors.Select(t => t.Unsqueeze(d)).ToArray(), d);
        }

        return Graph.Record("StackBackward0", joined, tensors.ToArray(), null, (n, g) =>
            Enumerable.Range(0, n.InputMetas.Length).Select(i => n.NeedsInputGrad(i) ? g.Select(d, i) : null).ToArray());
    }
}
