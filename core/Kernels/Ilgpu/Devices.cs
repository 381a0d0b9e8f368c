using DistGrad.Kernels;
using DistGrad.Kernels.Ilgpu;

namespace DistGrad;

/// <summary>Which devices this machine can run tensors on (PyTorch's torch.cuda.device_count and friends).</summary>
public static class Devices
{
    /// <summary>The number of CUDA GPUs ILGPU can see (0 without an NVIDIA driver).</summary>
    public static int CudaCount
    {
        get
        {
            try
            {
                return IlgpuRuntime.CudaDevices.Count;
            }
            catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or InvalidOperationException)
            {
                // A broken or partial driver install counts as no GPU rather than taking the process down.
                return 0;
            }
        }
    }

    public static bool CudaAvailable => CudaCount > 0;

    /// <summary>Every device a tensor can live on here: the CPU, each CUDA GPU, and ILGPU's CPU emulator.</summary>
    public static IReadOnlyList<Device> Available()
    {
        var devices = new List<Device> { Device.Cpu };
        for (var i = 0; i < CudaCount; i++)
        {
            devices.Add(Device.Cuda(i));
        }

        devices.Add(Device.IlgpuCpu);
        return devices;
    }

    /// <summary>The devices training workers should use: each CUDA GPU when there is one, else the CPU.</summary>
    public static IReadOnlyList<Device> Accelerators()
    {
        var count = CudaCount;
        return count == 0 ? [Device.Cpu] : Enumerable.Range(0, count).Select(Device.Cuda).ToArray();
    }

    public static bool IsAvailable(Device device) => device.Type switch
    {
        DeviceType.Cpu => device.Index == 0,
        DeviceType.IlgpuCpu => device.Index == 0,
        _ => device.Index < CudaCount,
    };

    /// <summary>Parses PyTorch's spelling: "cpu", "cuda" (cuda:0), "cuda:1", and "ilgpu-cpu".</summary>
    public static Device Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim().ToLowerInvariant();
        if (t == "cpu")
        {
            return Device.Cpu;
        }

        if (t is "ilgpu-cpu" or "ilgpu-cpu:0")
        {
            return Device.IlgpuCpu;
        }

        if (t == "cuda")
        {
            return Device.Cuda(0);
        }

        if (t.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(t.AsSpan(5), out var index) && index >= 0)
        {
            return Device.Cuda(index);
        }

        throw new FormatException($"unknown device \"{text}\": expected cpu, cuda, cuda:N or ilgpu-cpu");
    }

    /// <summary>Waits until the device has finished all work queued so far (kernels run asynchronously on GPUs).</summary>
    public static void Synchronize(Device device)
    {
        if (KernelRegistry.For(device) is IlgpuKernels ilgpu)
        {
            ilgpu.Synchronize();
        }
    }

    /// <summary>What the device is, e.g. "NVIDIA H200" for cuda:0.</summary>
    public static string Describe(Device device) =>
        KernelRegistry.For(device) is IlgpuKernels ilgpu ? $"{device} ({ilgpu.Name})" : $"{device} ({Environment.ProcessorCount} cores)";

    /// <summary>Bytes the device's caching allocator holds (in use and cached), 0 for the CPU.</summary>
    public static long ReservedBytes(Device device) =>
        KernelRegistry.For(device) is IlgpuKernels ilgpu ? ilgpu.Pool.ReservedBytes : 0;

    /// <summary>Gives the cached, unused device buffers back to the driver (PyTorch's torch.cuda.empty_cache).</summary>
    public static void EmptyCache(Device device)
    {
        if (KernelRegistry.For(device) is IlgpuKernels ilgpu)
        {
            ilgpu.Pool.ReleaseCached();
        }
    }
}
