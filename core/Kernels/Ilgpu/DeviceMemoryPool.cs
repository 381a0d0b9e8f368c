using ILGPU;
using ILGPU.Runtime;

namespace DistGrad.Kernels.Ilgpu;

/// <summary>
/// A caching allocator: device buffers are handed out by size bucket and, when their storage is collected,
/// go back to a free list of that bucket instead of to the driver, because cudaMalloc/cudaFree synchronise the
/// device and a training step allocates the same sizes again and again. The pool keeps every buffer it made
/// reachable, so ILGPU never finalizes one that a storage's finalizer is about to return.
/// </summary>
internal sealed class DeviceMemoryPool
{
    /// <summary>Buckets below this are powers of two; larger requests round up to a multiple of it.</summary>
    private const long LargeGranule = 1 << 20;

    private const long MinBucket = 512;

    private readonly Accelerator _accelerator;
    private readonly Dictionary<long, Stack<MemoryBuffer1D<byte, Stride1D.Dense>>> _free = [];
    private readonly HashSet<MemoryBuffer1D<byte, Stride1D.Dense>> _all = [];
    private readonly Lock _gate = new();
    private long _freshSinceCollect;

    public DeviceMemoryPool(Accelerator accelerator)
    {
        _accelerator = accelerator;
    }

    /// <summary>Bytes held in buffers, in use or cached.</summary>
    public long ReservedBytes { get; private set; }

    /// <summary>Bytes in buffers that storages hold now.</summary>
    public long InUseBytes { get; private set; }

    public static long BucketOf(long bytes) =>
        bytes <= MinBucket ? MinBucket
        : bytes < LargeGranule ? (long)System.Numerics.BitOperations.RoundUpToPowerOf2((ulong)bytes)
        : (bytes + LargeGranule - 1) / LargeGranule * LargeGranule;

    public MemoryBuffer1D<byte, Stride1D.Dense> Rent(long bytes)
    {
        var bucket = BucketOf(bytes);
        lock (_gate)
        {
            if (_free.TryGetValue(bucket, out var stack) && stack.Count > 0)
            {
                InUseBytes += bucket;
                return stack.Pop();
            }
        }

        MaybeCollect(bucket);
        var buffer = AllocateFresh(bucket);
        lock (_gate)
        {
            _all.Add(buffer);
            ReservedBytes += bucket;
            InUseBytes += bucket;
        }

        return buffer;
    }

    /// <summary>Takes a buffer back (from a storage's finalizer: no ILGPU call happens here).</summary>
    public void Return(MemoryBuffer1D<byte, Stride1D.Dense> buffer)
    {
        lock (_gate)
        {
            var bucket = buffer.Length;
            if (!_free.TryGetValue(bucket, out var stack))
            {
                _free[bucket] = stack = new Stack<MemoryBuffer1D<byte, Stride1D.Dense>>();
            }

            stack.Push(buffer);
            InUseBytes -= bucket;
        }
    }

    /// <summary>Gives every cached (unused) buffer back to the driver.</summary>
    public void ReleaseCached()
    {
        List<MemoryBuffer1D<byte, Stride1D.Dense>> released = [];
        lock (_gate)
        {
            foreach (var stack in _free.Values)
            {
                while (stack.Count > 0)
                {
                    var buffer = stack.Pop();
                    _all.Remove(buffer);
                    ReservedBytes -= buffer.Length;
                    released.Add(buffer);
                }
            }
        }

        if (released.Count > 0)
        {
            Bind();
        }

        foreach (var buffer in released)
        {
            buffer.Dispose();
        }
    }

    private MemoryBuffer1D<byte, Stride1D.Dense> AllocateFresh(long bucket)
    {
        Bind();
        try
        {
            return _accelerator.Allocate1D<byte>(bucket);
        }
        catch (Exception e) when (e is OutOfMemoryException or AcceleratorException)
        {
            // Storages that are garbage but not yet finalized still hold buffers: collect them, free the cache, retry once.
            CollectGarbage();
            ReleaseCached();
            return _accelerator.Allocate1D<byte>(bucket);
        }
    }

    /// <summary>
    /// The GC does not see device memory, so after a quarter of the device's memory in fresh allocations it is
    /// asked to collect, and dead storages return their buffers before the driver runs out.
    /// </summary>
    private void MaybeCollect(long bucket)
    {
        var limit = Math.Max(_accelerator.MemorySize / 4, 64L << 20);
        if (Interlocked.Add(ref _freshSinceCollect, bucket) > limit)
        {
            Interlocked.Exchange(ref _freshSinceCollect, 0);
            CollectGarbage();
        }
    }

    /// <summary>The driver calls need the accelerator current on the calling thread (CUDA contexts are per thread).</summary>
    private void Bind()
    {
        if (Accelerator.Current != _accelerator)
        {
            _accelerator.Bind();
        }
    }

    private static void CollectGarbage()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
    }
}
