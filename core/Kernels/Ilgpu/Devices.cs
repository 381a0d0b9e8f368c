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

    /// <summary>
    /// A worker device list as users write it: "auto" (<see cref="Accelerators"/>) or names separated by commas
    /// ("cpu", "cuda:0,cuda:1"), each available here and no GPU twice. ILGPU's CPU emulator is accepted only
    /// with <paramref name="allowEmulator"/> (tests). Throws <see cref="ArgumentException"/> naming the bad entry.
    /// </summary>
    public static IReadOnlyList<Device> ParseList(string text, bool allowEmulator = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        var names = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names is ["auto"])
        {
            return Accelerators();
        }

        if (names.Length == 0)
        {
            throw new ArgumentException("needs at least one device");
        }

        var expected = allowEmulator ? "cpu, cuda, cuda:N, ilgpu-cpu or auto" : "cpu, cuda, cuda:N or auto";
        var devices = new List<Device>();
        foreach (var name in names)
        {
            Device device;
            try
            {
                device = Parse(name);
            }
            catch (FormatException)
            {
                throw new ArgumentException($"unknown device \"{name}\": '{name}' is not available (expected {expected})");
            }

            if ((device.Type == DeviceType.IlgpuCpu && !allowEmulator) || !IsAvailable(device))
            {
                var count = CudaCount;
                throw new ArgumentException($"'{name}' is not available on this machine ({(count == 0 ? "it has no CUDA device" : $"its CUDA devices are cuda:0 to cuda:{count - 1}")}); use cpu or auto");
            }

            if (device.Type == DeviceType.Cuda && devices.Contains(device))
            {
                throw new ArgumentException($"'{name}' is listed twice");
            }

            devices.Add(device);
        }

        return devices;
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
