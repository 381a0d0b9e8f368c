namespace DistGrad;

/// <summary>
/// Matrix products with PyTorch's matmul rules: dot (1-D · 1-D), mv (2-D · 1-D), mm (2-D · 2-D), and
/// broadcast batched products for more dims, each with its own node as PyTorch records it.
/// </summary>
public sealed partial class Tensor
{
    public Tensor MatMul(Tensor other)
    {
        if (Dim == 0 || other.Dim == 0)
        {
            throw new ArgumentException($"both arguments to matmul need to be at least 1D, but they are {Dim}D and {other.Dim}D");
        }

        if (DType != other.DType)
        {
            throw new ArgumentException($"expected both matmul operands to have the same dtype, but got: {DType.TorchName()} != {other.DType.TorchName()}");
        }

        return (Dim, other.Dim) switch
        {
            (1, 1) => Dot(other),
            (2, 1) => Mv(other),
            (1, 2) => Unsqueeze(0).Mm(other).Squeeze(0),
            (2, 2) => Mm(other),
            _ => BatchedMatMul(other),
        };
    }

    /// <summary>Inner product of two vectors of equal length.</summary>
    public Tensor Dot(Tensor other)
    {
        if (Dim != 1 || other.Dim != 1 || _shape[0] != other._shape[0])
        {
            throw new ArgumentException(
                $"inconsistent tensor size, expected tensor {Shapes.Format(_shape)} and src {Shapes.Format(other._shape)} to have the same number of elements, but got {Numel} and {other.Numel} elements respectively");
        }

        var result = Kernels.MatMul(Detach().Reshape(1, -1), other.Detach().Reshape(-1, 1));
        result = new Tensor(result.Storage, []);
        return Graph.Record("DotBackward0", result, [this, other], [other.RequiresGrad ? this : null, RequiresGrad ? other : null], static (n, g) =>
            [n.NeedsInputGrad(0) ? g * n.Saved(1) : null, n.NeedsInputGrad(1) ? g * n.Saved(0) : null]);
    }

    /// <summary>Matrix–vector product.</summary>
    public Tensor Mv(Tensor vector)
    {
        if (Dim != 2 || vector.Dim != 1 || _shape[1] != vector._shape[0])
        {
            throw new ArgumentException($"size mismatch, got input ({Shapes.Format(_shape)}), vec ({Shapes.Format(vector._shape)}): matrix columns must equal the vector's length");
        }

        var product = Kernels.MatMul(this, vector.Detach().Reshape(-1, 1));
        var result = new Tensor(product.Storage, [_shape[0]]);
        return Graph.Record("MvBackward0", result, [this, vector], [vector.RequiresGrad ? this : null, RequiresGrad ? vector : null], static (n, g) =>
        [
            n.NeedsInputGrad(0) ? g.Unsqueeze(1).Mm(n.Saved(1).Unsqueeze(0)) : null,
            n.NeedsInputGrad(1) ? n.Saved(0).T.Mv(g) : null,
        ]);
    }

    /// <summary>Product of two matrices.</summary>
    public Tensor Mm(Tensor other)
    {
        if (Dim != 2 || other.Dim != 2 || _shape[1] != other._shape[0])
        {
            throw new ArgumentException(
                $"mat1 and mat2 shapes cannot be multiplied ({string.Join("x", _shape)} and {string.Join("x", other._shape)})");
        }

        var result = Kernels.MatMul(this, other);
        return Graph.Record("MmBackward0", result, [this, other], [other.RequiresGrad ? this : null, RequiresGrad ? other : null], static (n, g) =>
            [n.NeedsInputGrad(0) ? g.Mm(n.Saved(1).T) : null, n.NeedsInputGrad(1) ? n.Saved(0).T.Mm(g) : null]);
    }

    /// <summary>
    /// bias + this·other for matrices and a bias of other's width, as PyTorch's linear records it: one
    /// AddmmBackward0 node over (bias, mat1, mat2), and one kernel pass that starts C at the bias rows.
    /// </summary>
    internal Tensor AddMm(Tensor bias, Tensor other)
    {
        var result = Kernels.AddMatMul(bias, this, other);
        return Graph.Record("AddmmBackward0", result, [bias, this, other], [other.RequiresGrad ? this : null, RequiresGrad ? other : null], static (n, g) =>
        [
            n.NeedsInputGrad(0) ? g.Sum(0) : null,
            n.NeedsInputGrad(1) ? g.Mm(n.Saved(1).T) : null,
            n.NeedsInputGrad(2) ? n.Saved(0).T.Mm(g) : null,
        ]);
    }

    /// <summary>PyTorch's t() of a matrix, which linear applies to its weight: a transposed view recorded as TBackward0.</summary>
    internal Tensor MatrixT() => Graph.Record("TBackward0", TransposedRaw(0, 1), [this], null, static (n, g) => [g.MatrixT()]);

    /// <summary>Batched product of [B, M, K] and [B, K, N].</summary>
    public Tensor Bmm(Tensor other)
    {
        if (Dim != 3 || other.Dim != 3 || _shape[0] != other._shape[0] || _shape[2] != other._shape[1])
        {
            throw new ArgumentException($"bmm needs [B, M, K] and [B, K, N] tensors, got {Shapes.Format(_shape)} and {Shapes.Format(other._shape)}");
        }

        var result = Kernels.MatMul(this, other);
        return Graph.Record("BmmBackward0", result, [this, other], [other.RequiresGrad ? this : null, RequiresGrad ? other : null], static (n, g) =>
            [n.NeedsInputGrad(0) ? g.Bmm(n.Saved(1).Transpose(1, 2)) : null, n.NeedsInputGrad(1) ? n.Saved(0).Transpose(1, 2).Bmm(g) : null]);
    }

    private Tensor BatchedMatMul(Tensor other)
    {
        // Vectors become matrices, batch dims broadcast, then one bmm over the flattened batch.
        var a = Dim == 1 ? Unsqueeze(0) : this;
        var b = other.Dim == 1 ? other.Unsqueeze(1) : other;
        var (m, k) = (a._shape[^2], a._shape[^1]);
        var (k2, nCols) = (b._shape[^2], b._shape[^1]);
        if (k != k2)
        {
            throw new ArgumentException(
                $"Expected size for first two dimensions of batch2 tensor to be: [{k}] but got: [{k2}] (matmul of {Shapes.Format(_shape)} and {Shapes.Format(other._shape)})");
        }

        var batch = Shapes.Broadcast(a._shape[..^2], b._shape[..^2]);
        var batchCount = Shapes.Numel(batch);
        var a3 = a.Expand([.. batch, m, k]).Reshape(batchCount, m, k);
        var b3 = b.Expand([.. batch, k, nCols]).Reshape(batchCount, k, nCols);
        var result = a3.Bmm(b3).Reshape([.. batch, m, nCols]);
        if (Dim == 1)
        {
            result = result.Squeeze(-2);
        }

        return other.Dim == 1 ? result.Squeeze(-1) : result;
    }
}
