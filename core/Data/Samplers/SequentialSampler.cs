namespace DistGrad.Data;

/// <summary>Visits 0, 1, ..., n - 1 every epoch (PyTorch's SequentialSampler).</summary>
public sealed class SequentialSampler : Sampler
{
    public SequentialSampler(int datasetCount)
        : base(datasetCount)
    {
    }

    public SequentialSampler(Dataset dataset)
        : this(dataset.Count)
    {
    }

    public override int Count => DatasetCount;

    protected override int[] BeginEpoch() => Enumerable.Range(0, DatasetCount).ToArray();

    protected override int[] OrderOf(SamplerState state) => BeginEpoch();
}
