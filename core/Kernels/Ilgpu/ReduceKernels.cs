using ILGPU;

namespace DistGrad.Kernels.Ilgpu;

/// <summary>Device code of the reductions. Each output reduces one run of <c>run</c> consecutive positions of a (permuted) view.</summary>
internal static class ReduceKernels
{
    /// <summary>One thread per output: for many short runs.</summary>
    public static void PerThread<T, TR>(Index1D o, ArrayView<T> x, StridedLayout lx, int run, ArrayView<T> y, TR op)
        where T : unmanaged
        where TR : struct, IReduce<T>
    {
        var acc = op.Identity;
        var start = o * run;
        for (var j = 0; j < run; j++)
        {
            acc = op.Combine(acc, x[lx.At(start + j)]);
        }

        y[o] = acc;
    }

    /// <summary>One group per output (grid x): threads stride over the run, then a tree in shared memory.</summary>
    public static void PerGroup<T, TR, TC>(ArrayView<T> x, StridedLayout lx, int run, ArrayView<T> y, TR op)
        where T : unmanaged
        where TR : struct, IReduce<T>
        where TC : struct, ITileConfig
    {
        var threads = default(TC).Threads;
        var partial = SharedMemory.Allocate<T>(default(TC).Threads);
        var t = Group.IdxX;
        var start = Grid.IdxX * run;
        var acc = op.Identity;
        for (var j = t; j < run; j += threads)
        {
            acc = op.Combine(acc, x[lx.At(start + j)]);
        }

        partial[t] = acc;
        Group.Barrier();
        for (var s = threads / 2; s > 0; s /= 2)
        {
            if (t < s)
            {
                partial[t] = op.Combine(partial[t], partial[t + s]);
            }

            Group.Barrier();
        }

        if (t == 0)
        {
            y[Grid.IdxX] = partial[0];
        }
    }
}

internal interface IReduce<T>
    where T : unmanaged
{
    T Identity { get; }

    T Combine(T a, T b);
}

/// <summary>Sum, max or min (a <see cref="ReduceOp"/>); max and min keep a NaN once they meet one.</summary>
internal struct Reduction<T, TM> : IReduce<T>
    where T : unmanaged
    where TM : struct, INumeric<T>
{
    public int Op;

    public readonly T Identity => (ReduceOp)Op switch
    {
        ReduceOp.Sum => default(TM).Zero,
        ReduceOp.Max => default(TM).Lowest,
        _ => default(TM).Highest,
    };

    public readonly T Combine(T a, T b)
    {
        var m = default(TM);
        switch ((ReduceOp)Op)
        {
            case ReduceOp.Sum: return m.Add(a, b);
            case ReduceOp.Max: return m.IsNaN(a) ? a : m.IsNaN(b) || m.Less(a, b) ? b : a;
            default: return m.IsNaN(a) ? a : m.IsNaN(b) || m.Less(b, a) ? b : a;
        }
    }
}
