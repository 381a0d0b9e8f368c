
namespace DistGrad.Distributed.Gradients;

/// <summary>
/// Averages gradients across the data-parallel group (DDP's all-reduce): each bucket is summed by a ring
/// all-reduce, then divided by the group's size, so every replica ends with the identical mean gradient.
/// </summary>
public sealed class AllReduceGradients : IGradientProcessor
{
    private readonly int _bucketBytes;
    private GradientBuckets? _buckets;

    public AllReduceGradients(int bucketBytes = 25 * 1024 * 1024)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bucketBytes);
        _bucketBytes = bucketBytes;
    }

    public string Name => "AllReduce(data-parallel)";

    public void Run(GradientContext context)
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
