using System.Collections;

namespace DistGrad.Data;

/// <summary>
/// Batches of a dataset, one epoch per enumeration (PyTorch's DataLoader without worker processes):
/// <c>foreach (var (xb, yb) in loader)</c>. The order comes from <see cref="Sampler"/>, whose state can
/// be saved and restored to resume an epoch exactly.
/// </summary>
public sealed class DataLoader : IEnumerable<(Tensor X, Tensor Y)>
{
    /// <param name="dataset">The samples.</param>
    /// <param name="batchSize">Samples per batch; the last batch may be smaller unless <paramref name="dropLast"/>.</param>
    /// <param name="shuffle">Visit the samples in a new random order each epoch (a <see cref="RandomSampler"/>).</param>
    /// <param name="dropLast">Leave out a last batch smaller than <paramref name="batchSize"/>.</param>
    /// <param name="generator">The shuffle's generator; <see cref="Generator.Default"/> when null.</param>
    /// <param name="sampler">Where the indices come from instead (a <see cref="DistributedSampler"/>, say).</param>
    public DataLoader(Dataset dataset, int batchSize, bool shuffle = false, bool dropLast = false, Generator? generator = null, Sampler? sampler = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (batchSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"batchSize should be a positive integer value, but got batchSize={batchSize}");
        }

        if (dataset.Count == 0)
        {
            throw new ArgumentException("the dataset is empty: a DataLoader needs at least one sample", nameof(dataset));
        }

        if (sampler != null)
        {
            if (shuffle)
            {
                throw new ArgumentException("sampler option is mutually exclusive with shuffle: the sampler decides the order", nameof(shuffle));
            }

            if (generator != null)
            {
                throw new ArgumentException("generator is only used to build the shuffling sampler; with a sampler, seed the sampler instead", nameof(generator));
            }

            if (sampler.DatasetCount != dataset.Count)
            {
                throw new ArgumentException($"the sampler was made for {sampler.DatasetCount} samples but the dataset has {dataset.Count}", nameof(sampler));
            }
        }

        Dataset = dataset;
        BatchSize = batchSize;
        DropLast = dropLast;
        Sampler = sampler ?? (shuffle ? new RandomSampler(dataset.Count, generator) : new SequentialSampler(dataset.Count));
    }

    public Dataset Dataset { get; }

    public int BatchSize { get; }

    public bool DropLast { get; }

    /// <summary>The order of the samples; its <see cref="Sampler.GetState"/> and <see cref="Sampler.SetState"/> save and resume an epoch.</summary>
    public Sampler Sampler { get; }

    /// <summary>Batches in a full epoch.</summary>
    public int Count => DropLast ? Sampler.Count / BatchSize : (Sampler.Count + BatchSize - 1) / BatchSize;

    public IEnumerator<(Tensor X, Tensor Y)> GetEnumerator()
    {
        var indices = new List<int>(BatchSize);
        foreach (var index in Sampler)
        {
            indices.Add(index);
            if (indices.Count == BatchSize)
            {
                // The sampler has already counted these indices, so a state taken while the caller
                // works on this batch resumes with the next one.
                yield return Dataset.GetBatch(indices.ToArray());
                indices.Clear();
            }
        }

        if (indices.Count > 0 && !DropLast)
        {
            yield return Dataset.GetBatch(indices.ToArray());
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
