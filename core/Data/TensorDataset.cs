namespace DistGrad.Data;

/// <summary>
/// Samples held as two tensors whose first dimension indexes the samples (PyTorch's TensorDataset).
/// Items are views of the tensors; batches are gathered row by row on host arrays, without autograd.
/// </summary>
public sealed class TensorDataset : Dataset
{
    private readonly RowGather _xRows;
    private readonly RowGather _yRows;

    public TensorDataset(Tensor x, Tensor y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Dim == 0 || y.Dim == 0)
        {
            throw new ArgumentException($"TensorDataset needs tensors with a first (sample) dimension, got x of shape {Shapes.Format(x.ShapeRef)} and y of shape {Shapes.Format(y.ShapeRef)}");
        }

        if (x.Size(0) != y.Size(0))
        {
            throw new ArgumentException($"Size mismatch between tensors: x has shape {Shapes.Format(x.ShapeRef)} and y has shape {Shapes.Format(y.ShapeRef)}; their first dimensions (the samples) must be equal");
        }

        X = x;
        Y = y;
        _xRows = new RowGather(x);
        _yRows = new RowGather(y);
    }

    /// <summary>The inputs, one row per sample.</summary>
    public Tensor X { get; }

    /// <summary>The targets, one row per sample.</summary>
    public Tensor Y { get; }

    public override int Count => X.Size(0);

    public override (Tensor X, Tensor Y) this[int index]
    {
        get
        {
            CheckIndex(index);
            return (X[index], Y[index]);
        }
    }

    public override (Tensor X, Tensor Y) GetBatch(IReadOnlyList<int> indices)
    {
        CheckIndices(indices);
        return (_xRows.Gather(indices), _yRows.Gather(indices));
    }
}
