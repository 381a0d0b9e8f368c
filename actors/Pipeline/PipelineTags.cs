namespace DistGrad.Distributed.Pipeline;

/// <summary>
/// Transport tags of the pipeline's point-to-point messages. They use a channel of their own (the
/// collectives use small channel numbers), so activations never mix with all-reduce traffic.
/// </summary>
/// <remarks>Layout: 8 bits channel, 31 bits step, 4 bits kind, 20 bits micro-batch (or parameter index).</remarks>
internal static class PipelineTags
{
    public const int Channel = 250;
    public const int MaxIndex = (1 << 20) - 1;

    public static long ActivationShape(long step, int microBatch) => Make(step, 0, microBatch);

    public static long Activation(long step, int microBatch) => Make(step, 1, microBatch);

    public static long Gradient(long step, int microBatch) => Make(step, 2, microBatch);

    public static long Parameter(int index) => Make(0, 3, index);

    private static long Make(long step, int kind, int index)
    {
        if ((uint)index > MaxIndex)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"a pipeline message index must be in [0, {MaxIndex}]");
        }

        return ((long)Channel << 55) | ((step & 0x7FFF_FFFF) << 24) | ((long)kind << 20) | (long)index;
    }
}
