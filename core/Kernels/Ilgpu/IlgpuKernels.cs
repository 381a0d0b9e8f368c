using ILGPU;
using ILGPU.Runtime;

namespace DistGrad.Kernels.Ilgpu;

/// <summary>
/// The ILGPU backend: the same kernels on a CUDA GPU (<see cref="Device.Cuda"/>) or on ILGPU's CPU emulator
/// (<see cref="Device.IlgpuCpu"/>, for tests). Device memory comes from a caching allocator; data crosses to the
/// host only in <see cref="FromHost"/> and <see cref="ToHost"/> (and in <see cref="MaskedSelect"/>, whose output
/// size is data). Parts live in IlgpuKernels.*.cs by kind of kernel, device code in *Kernels.cs.
/// </summary>
internal sealed partial class IlgpuKernels : IKernels
{
    private readonly Accelerator _accelerator;
    private readonly KernelLauncher _launch;
    private readonly MemoryBuffer1D<int, Stride1D.Dense> _error;

    /// <summary>The emulator gets small groups (see <see cref="ITileConfig"/>).</summary>
    private readonly bool _emulated;

    public IlgpuKernels(Device device, Accelerator accelerator)
    {
        Device = device;
        _accelerator = accelerator;
        _emulated = device.Type == DeviceType.IlgpuCpu;
        _launch = new KernelLauncher(accelerator);
        _launch.Bind();
        Pool = new DeviceMemoryPool(accelerator);
        _error = accelerator.Allocate1D<int>(1);
        _error.MemSetToZero();
    }

    public Device Device { get; }

    /// <summary>The accelerator's name, e.g. "NVIDIA H200" or "CPUAccelerator".</summary>
    public string Name => _accelerator.Name;

    internal DeviceMemoryPool Pool { get; }

    internal AcceleratorStream Stream => _accelerator.DefaultStream;

    /// <summary>A zero-filled storage (Tensor.Empty and the ops that fill part of a new tensor rely on zeros, as on the CPU).</summary>
    public Storage Allocate(DType dtype, int length)
    {
        var storage = NewStorage(dtype, length);
        if (length > 0)
        {
            storage.Bytes.SubView(0, (long)length * dtype.ElementSize()).MemSetToZero(Stream);
        }

        return storage;
    }

    /// <summary>Waits until every kernel launched so far has finished (for timing).</summary>
    public void Synchronize()
    {
        _launch.Bind();
        _accelerator.Synchronize();
    }

    private IlgpuStorage NewStorage(DType dtype, int length)
    {
        _launch.Bind();
        return new IlgpuStorage(Device, Pool, dtype, length);
    }

    /// <summary>A fresh tensor whose contents the kernel writing it fully defines (not zeroed).</summary>
    private Tensor NewTensor(DType dtype, int[] shape) => new(NewStorage(dtype, Shapes.Numel(shape)), shape);

    /// <summary>The elements of a tensor on this device; Bool tensors are viewed as bytes.</summary>
    private ArrayView<T> View<T>(Tensor t)
        where T : unmanaged
    {
        if (t.Storage is not IlgpuStorage storage || storage.Device != Device)
        {
            throw new ArgumentException($"the {Device} backend was handed a tensor on {t.Device}; move it with To({Device}) first");
        }

        return storage.View<T>();
    }

    private static StridedLayout Layout(Tensor t) => StridedLayout.Of(t);

    /// <summary>A contiguous tensor with the same values (the tensor itself when it already is).</summary>
    private Tensor Dense(Tensor t)
    {
        if (t.IsContiguous)
        {
            return t;
        }

        var copy = NewTensor(t.DType, t.Shape);
        Copy(t, copy);
        return copy;
    }

    private ArrayView<int> ErrorFlag => _error.View;

    /// <summary>
    /// Reports a failure a kernel flagged (an index out of range, too few values) at the first host read after it:
    /// a kernel cannot throw, and waiting for each one would cost a round trip per op.
    /// </summary>
    private void ThrowIfKernelFailed()
    {
        var flag = new int[1];
        _error.View.CopyToCPU(Stream, flag);
        if (flag[0] == 0)
        {
            return;
        }

        _error.MemSetToZero(Stream);
        throw flag[0] == IndexKernels.IndexOutOfRange
            ? new IndexOutOfRangeException($"index out of range in self (found by a kernel on {Device} that ran before this read)")
            : new ArgumentException($"masked scatter: the mask selects more elements than the values given (found by a kernel on {Device} that ran before this read)");
    }

    /// <summary>Runs the action for <paramref name="dtype"/>; a missing one means the op does not exist for that dtype.</summary>
    private static void ByDType(DType dtype, Action f32, Action f64, Action? i64, Action? b8, string what)
    {
        switch (dtype)
        {
            case DType.Float32: f32(); break;
            case DType.Float64: f64(); break;
            case DType.Int64 when i64 != null: i64(); break;
            case DType.Bool when b8 != null: b8(); break;
            default: throw new NotSupportedException($"{what} is not defined for {dtype.TorchName()} tensors");
        }
    }
}
