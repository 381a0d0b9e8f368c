using System.Collections.Concurrent;
using System.Reflection;
using ILGPU;
using ILGPU.Runtime;

namespace DistGrad.Kernels.Ilgpu;

/// <summary>
/// Compiles each kernel once per accelerator (on first launch) and launches it on the accelerator's one stream.
/// One in-order stream is what makes the caching allocator safe: a buffer freed after a launch that reads it can
/// only be written by a later launch.
/// </summary>
internal sealed class KernelLauncher
{
    private readonly Accelerator _accelerator;
    private readonly ConcurrentDictionary<MethodInfo, Delegate> _loaded = new();

    public KernelLauncher(Accelerator accelerator)
    {
        _accelerator = accelerator;
    }

    /// <summary>ILGPU keeps a current accelerator per thread; a thread that has not used this one yet binds it.</summary>
    public void Bind()
    {
        if (Accelerator.Current != _accelerator)
        {
            _accelerator.Bind();
        }
    }

    public void Launch<T1, T2, T3>(int n, Action<Index1D, T1, T2, T3> kernel, T1 a1, T2 a2, T3 a3)
        where T1 : struct
        where T2 : struct
        where T3 : struct
    {
        if (n > 0)
        {
            Get(kernel, () => _accelerator.LoadAutoGroupedStreamKernel(kernel))(n, a1, a2, a3);
        }
    }

    public void Launch<T1, T2, T3, T4>(int n, Action<Index1D, T1, T2, T3, T4> kernel, T1 a1, T2 a2, T3 a3, T4 a4)
        where T1 : struct
        where T2 : struct
        where T3 : struct
        where T4 : struct
    {
        if (n > 0)
        {
            Get(kernel, () => _accelerator.LoadAutoGroupedStreamKernel(kernel))(n, a1, a2, a3, a4);
        }
    }

    public void Launch<T1, T2, T3, T4, T5>(int n, Action<Index1D, T1, T2, T3, T4, T5> kernel, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5)
        where T1 : struct
        where T2 : struct
        where T3 : struct
        where T4 : struct
        where T5 : struct
    {
        if (n > 0)
        {
            Get(kernel, () => _accelerator.LoadAutoGroupedStreamKernel(kernel))(n, a1, a2, a3, a4, a5);
        }
    }

    public void Launch<T1, T2, T3, T4, T5, T6>(int n, Action<Index1D, T1, T2, T3, T4, T5, T6> kernel, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6)
        where T1 : struct
        where T2 : struct
        where T3 : struct
        where T4 : struct
        where T5 : struct
        where T6 : struct
    {
        if (n > 0)
        {
            Get(kernel, () => _accelerator.LoadAutoGroupedStreamKernel(kernel))(n, a1, a2, a3, a4, a5, a6);
        }
    }

    public void Launch<T1, T2, T3, T4, T5, T6, T7>(int n, Action<Index1D, T1, T2, T3, T4, T5, T6, T7> kernel, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7)
        where T1 : struct
        where T2 : struct
        where T3 : struct
        where T4 : struct
        where T5 : struct
        where T6 : struct
        where T7 : struct
    {
        if (n > 0)
        {
            Get(kernel, () => _accelerator.LoadAutoGroupedStreamKernel(kernel))(n, a1, a2, a3, a4, a5, a6, a7);
        }
    }

    public void Launch<T1, T2, T3, T4, T5, T6, T7, T8>(int n, Action<Index1D, T1, T2, T3, T4, T5, T6, T7, T8> kernel, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8)
        where T1 : struct
        where T2 : struct
        where T3 : struct
        where T4 : struct
        where T5 : struct
        where T6 : struct
        where T7 : struct
        where T8 : struct
    {
        if (n > 0)
        {
            Get(kernel, () => _accelerator.LoadAutoGroupedStreamKernel(kernel))(n, a1, a2, a3, a4, a5, a6, a7, a8);
        }
    }

    public void Launch<T1, T2, T3, T4, T5, T6, T7, T8, T9>(int n, Action<Index1D, T1, T2, T3, T4, T5, T6, T7, T8, T9> kernel, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9)
        where T1 : struct
        where T2 : struct
        where T3 : struct
        where T4 : struct
        where T5 : struct
        where T6 : struct
        where T7 : struct
        where T8 : struct
        where T9 : struct
    {
        if (n > 0)
        {
            Get(kernel, () => _accelerator.LoadAutoGroupedStreamKernel(kernel))(n, a1, a2, a3, a4, a5, a6, a7, a8, a9);
        }
    }

    public void Launch<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10>(int n, Action<Index1D, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10> kernel, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10)
        where T1 : struct
        where T2 : struct
        where T3 : struct
        where T4 : struct
        where T5 : struct
        where T6 : struct
        where T7 : struct
        where T8 : struct
        where T9 : struct
        where T10 : struct
    {
        if (n > 0)
        {
            Get(kernel, () => _accelerator.LoadAutoGroupedStreamKernel(kernel))(n, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10);
        }
    }

    /// <summary>An explicitly grouped kernel (shared memory, barriers).</summary>
    public void LaunchGrouped<T1, T2, T3, T4, T5>(KernelConfig config, Action<T1, T2, T3, T4, T5> kernel, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5)
        where T1 : struct
        where T2 : struct
        where T3 : struct
        where T4 : struct
        where T5 : struct
    {
        if (config.GridDim.Size > 0)
        {
            Get(kernel, () => _accelerator.LoadStreamKernel(kernel))(config, a1, a2, a3, a4, a5);
        }
    }

    public void LaunchGrouped<T1, T2, T3, T4, T5, T6, T7, T8>(KernelConfig config, Action<T1, T2, T3, T4, T5, T6, T7, T8> kernel, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8)
        where T1 : struct
        where T2 : struct
        where T3 : struct
        where T4 : struct
        where T5 : struct
        where T6 : struct
        where T7 : struct
        where T8 : struct
    {
        if (config.GridDim.Size > 0)
        {
            Get(kernel, () => _accelerator.LoadStreamKernel(kernel))(config, a1, a2, a3, a4, a5, a6, a7, a8);
        }
    }

    private TLoaded Get<TLoaded>(Delegate kernel, Func<TLoaded> load)
        where TLoaded : Delegate
    {
        Bind();
        return (TLoaded)_loaded.GetOrAdd(kernel.Method, _ => load());
    }
}
