using ILGPU;
using ILGPU.Runtime;

namespace DistGrad.Kernels.Ilgpu;

/// <summary>Storage in a pooled device buffer; Bool elements are bytes holding 0 or 1.</summary>
internal sealed class IlgpuStorage : Storage
{
    private readonly DeviceMemoryPool _pool;
    private readonly MemoryBuffer1D<byte, Stride1D.Dense> _buffer;

    public IlgpuStorage(Device device, DeviceMemoryPool pool, DType dtype, int length)
        : base(dtype, length)
    {
        Device = device;
        _pool = pool;
        _buffer = pool.Rent(Math.Max(1L, (long)length * dtype.ElementSize()));
    }

    ~IlgpuStorage()
    {
        _pool.Return(_buffer);
    }

    public override Device Device { get; }

    /// <summary>The elements as a typed view (the bucket may be longer than <see cref="Storage.Length"/>).</summary>
    public ArrayView<T> View<T>()
        where T : unmanaged => _buffer.View.AsContiguous().Cast<T>();

    public ArrayView<byte> Bytes => _buffer.View.AsContiguous();
}
