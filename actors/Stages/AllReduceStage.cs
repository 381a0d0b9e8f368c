using DistGrad.Actors.Training;

namespace DistGrad.Actors.Stages;

/// <summary>
/// Averages gradients across the data-parallel group (DDP's all-reduce): each bucket is summed by a ring
/// all-reduce, then divided by the group's size, so every replica ends with the identical mean gradient.
/// </summary>
public sealed class AllReduceStage : IGradientStage
{
    private readonly int _bucketBytes;
    private GradientBuckets? _buckets;

    public AllReduceStage(int bucketBytes = 25 * 1024 * 1024)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bucketBytes);
        _bucketBytes = bucketBytes;
    }

    public string Name => "AllReduce(data-parallel)";

    public void Run(GradientStageContext context)
    {
        var group = context.DataParallelGroup;
        if (group.Size == 1)
        {
            return;
        }

        _buckets ??= new GradientBuckets(context.Parameters.Select(p => p.Parameter).ToArray(), _bucketBytes);
        var before = group.BytesSent;
        foreach (var bucket in _buckets.Buckets)
        {
            bucket.Gather();
            group.AllReduceSum(bucket.Buffer);
            bucket.Scatter(group.Size);
        }

        context.BytesAllReduced += group.BytesSent - before;
    }
}
