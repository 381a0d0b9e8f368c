namespace DistGrad.Data;

/// <summary>
/// A map-style dataset (PyTorch's <c>torch.utils.data.Dataset</c>): a fixed number of samples, each an
/// input and a target, reachable by index. A <see cref="DataLoader"/> asks for whole batches through
/// <see cref="GetBatch"/>, which a dataset can override with something faster than one item at a time.
/// </summary>
public abstract class Dataset
{
    /// <summary>Number of samples.</summary>
    public abstract int Count { get; }

    /// <summary>The sample at <paramref name="index"/> (0 ≤ index &lt; <see cref="Count"/>).</summary>
    public abstract (Tensor X, Tensor Y) this[int index] { get; }

    /// <summary>
    /// The samples at <paramref name="indices"/> stacked along a new first dimension (PyTorch's default
    /// collate). Subclasses that hold their data in bulk override this to gather rows directly.
    /// </summary>
    public virtual (Tensor X, Tensor Y) GetBatch(IReadOnlyList<int> indices)
    {
        CheckIndices(indices);
        var xs = new Tensor[indices.Count];
        var ys = new Tensor[indices.Count];
        for (var i = 0; i < indices.Count; i++)
        {
            (xs[i], ys[i]) = this[indices[i]];
        }

        return (Tensor.Stack(xs), Tensor.Stack(ys));
    }

    /// <summary>Throws unless <paramref name="indices"/> is a non-empty list of valid sample indices.</summary>
    protected void CheckIndices(IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        if (indices.Count == 0)
        {
            throw new ArgumentException("a batch needs at least one index", nameof(indices));
        }

        foreach (var index in indices)
        {
            CheckIndex(index);
        }
    }

    /// <summary>Throws unless 0 ≤ <paramref name="index"/> &lt; <see cref="Count"/>.</summary>
    protected void CheckIndex(int index)
    {
        if ((uint)index >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"index {index} is out of range for a dataset of {Count} samples");
        }
    }
}
