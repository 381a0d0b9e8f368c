using ILGPU;
using ILGPU.Runtime;

namespace DistGrad.Kernels.Ilgpu;

/// <summary>
/// A temporary device buffer from the pool, returned on Dispose. Returning it while kernels that use it are still
/// queued is safe: the backend's one in-order stream runs them before any later user of the buffer.
/// </summary>
internal readonly struct ScratchBuffer<T> : IDisposable
    where T : unmanaged
{
    private readonly DeviceMemoryPool _pool;
    private readonly MemoryBuffer1D<byte, Stride1D.Dense> _buffer;

    public ScratchBuffer(DeviceMemoryPool pool, long length)
    {
        _pool = pool;
        _buffer = pool.Rent(Math.Max(1, length) * System.Runtime.CompilerServices.Unsafe.SizeOf<T>());
        View = _buffer.View.AsContiguous().Cast<T>().SubView(0, length);
    }

    public ArrayView<T> View { get; }

    public void Dispose() => _pool.Return(_buffer);
}
