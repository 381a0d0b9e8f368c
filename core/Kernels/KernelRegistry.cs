using DistGrad.Kernels.Cpu;
using DistGrad.Kernels.Ilgpu;

namespace DistGrad.Kernels;

/// <summary>
/// Finds the kernel backend of a device. The ILGPU devices (CUDA GPUs and the CPU emulator) get theirs on first
/// use, so <c>tensor.To(Device.Cuda(0))</c> needs no setup; other backends register themselves here.
/// </summary>
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
            if (Backends.TryGetValue(device, out var k))
            {
                return k;
            }

            if (device.Type is DeviceType.Cuda or DeviceType.IlgpuCpu)
            {
                var backend = new IlgpuKernels(device, IlgpuRuntime.CreateAccelerator(device));
                Backends[device] = backend;
                return backend;
            }

            throw new NotSupportedException($"no kernel backend is registered for device {device}");
        }
    }
}
