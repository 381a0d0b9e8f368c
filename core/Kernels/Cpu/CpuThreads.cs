namespace DistGrad;

/// <summary>
/// How many threads the CPU kernels may use for one op called from the current thread (PyTorch's
/// torch.set_num_threads, but per calling thread: several workers in one process each get their own share).
/// </summary>
public static class CpuThreads
{
    [ThreadStatic]
    private static int _limit;

    /// <summary>The limit for ops called from this thread; 0 (the default) means every core.</summary>
    public static int Limit
    {
        get => _limit;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _limit = value;
        }
    }

    /// <summary>Threads an op called from this thread may use.</summary>
    public static int Available => _limit > 0 ? Math.Min(_limit, Environment.ProcessorCount) : Environment.ProcessorCount;

    /// <summary>Runs <paramref name="body"/> for every index in [from, to), on up to <see cref="Available"/> threads.</summary>
    internal static void For(int from, int to, Action<int> body)
    {
        if (Available <= 1 || to - from <= 1)
        {
            for (var i = from; i < to; i++)
            {
                body(i);
            }

            return;
        }

        Parallel.For(from, to, new ParallelOptions { MaxDegreeOfParallelism = Available }, body);
    }
}
