using DistGrad.Data;

namespace DistGrad.Distributed.Training;

/// <summary>
/// Which samples every replica takes at every micro-step, computed alike on every worker from the seed,
/// so the data never passes through the coordinator.
/// </summary>
/// <remarks>
/// Epoch <c>e</c> visits the training set in the order of a <see cref="DistributedSampler"/> with one
/// replica, shuffled by <c>seed + e</c>. Step <c>s</c> of the epoch takes the global batch at positions
/// <c>[s·B, (s+1)·B)</c> of that order (a ragged tail is dropped, as DataLoader's drop_last). Within it,
/// micro-step <c>k</c> of replica <c>d</c> takes the <c>m = B / (D·K)</c> positions starting at
/// <c>(k·D + d)·m</c>. Every layout therefore sees the same global batch at every step, which is what
/// makes its result equal single-process training's.
/// </remarks>
public sealed class GlobalBatchPlan
{
    private readonly int _datasetCount;
    private readonly long _seed;
    private int _cachedEpoch = -1;
    private int[] _order = [];

    public GlobalBatchPlan(int datasetCount, int batchSize, int dataParallel, int accumulationSteps, long seed)
    {
        if (batchSize > datasetCount)
        {
            throw new ArgumentException($"the batch size {batchSize} is larger than the training set ({datasetCount} samples)");
        }

        if (batchSize % (dataParallel * accumulationSteps) != 0)
        {
            throw new ArgumentException($"the batch size {batchSize} is not divisible by data-parallel × accumulation-steps = {dataParallel * accumulationSteps}");
        }

        _datasetCount = datasetCount;
        _seed = seed;
        BatchSize = batchSize;
        DataParallel = dataParallel;
        AccumulationSteps = accumulationSteps;
    }

    public int BatchSize { get; }

    public int DataParallel { get; }

    public int AccumulationSteps { get; }

    /// <summary>Samples in one replica's micro-step.</summary>
    public int MicroBatchSize => BatchSize / (DataParallel * AccumulationSteps);

    /// <summary>Whole global batches in an epoch.</summary>
    public int StepsPerEpoch => _datasetCount / BatchSize;

    /// <summary>The dataset indices replica <paramref name="replica"/> takes at micro-step <paramref name="microStep"/> of global step <paramref name="step"/>.</summary>
    public int[] Indices(long step, int replica, int microStep)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        if (replica < 0 || replica >= DataParallel)
        {
            throw new ArgumentOutOfRangeException(nameof(replica), replica, $"replica must be in [0, {DataParallel - 1}]");
        }

        if (microStep < 0 || microStep >= AccumulationSteps)
        {
            throw new ArgumentOutOfRangeException(nameof(microStep), microStep, $"micro-step must be in [0, {AccumulationSteps - 1}]");
        }

        var epoch = (int)(step / StepsPerEpoch);
        var order = OrderOf(epoch);
        var start = (int)(step % StepsPerEpoch * BatchSize) + ((microStep * DataParallel) + replica) * MicroBatchSize;
        return order.AsSpan(start, MicroBatchSize).ToArray();
    }

    /// <summary>The epoch a global step belongs to.</summary>
    public int EpochOf(long step) => (int)(step / StepsPerEpoch);

    private int[] OrderOf(int epoch)
    {
        if (epoch != _cachedEpoch)
        {
            var sampler = new DistributedSampler(_datasetCount, numReplicas: 1, rank: 0, shuffle: true, seed: _seed);
            sampler.SetEpoch(epoch);
            _order = sampler.ToArray();
            _cachedEpoch = epoch;
        }

        return _order;
    }
}
