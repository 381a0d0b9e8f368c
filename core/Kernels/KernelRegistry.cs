using DistGrad.Kernels.Cpu;

namespace DistGrad.Kernels;

/// <summary>Finds the kernel backend of a device; other backends register themselves here.</summary>
public static class KernelRegistry
{
    private static readonly Dictionary<Device, IKernels> Backends = new() { [Device.Cpu] = CpuKernels.Instance };
    private static readonly Lock Gate = new();

    public static void Register(IKernels backend)
    {
        lock (Gate)
        {
            Backends[backend.Device] = backend;
        }
    }

    public static IKernels For(Device device)
    {
        if (device == Device.Cpu)
        {
            return CpuKernels.Instance;
        }

        lock (Gate)
        {
            return Backends.TryGetValue(device, out var k)
                ? k
                : throw new NotSupportedException($"no kernel backend is registered for device {device}; this build runs tensors on the CPU only");
        }
    }
}
