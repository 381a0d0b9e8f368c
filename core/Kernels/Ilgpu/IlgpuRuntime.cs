using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;

namespace DistGrad.Kernels.Ilgpu;

/// <summary>
/// The one ILGPU context of the process (made on first use) and the accelerators made from it. A context
/// probes the CUDA driver once; where there is none it simply lists no CUDA device.
/// </summary>
internal static class IlgpuRuntime
{
    /// <summary>
    /// The emulator's shape: 4 threads per warp, 4 warps per group. Barrier-heavy kernels cost a context switch per
    /// thread and barrier on the CPU, so the emulator gets 16-thread groups (see <see cref="ITileConfig"/>).
    /// </summary>
    private static readonly CPUDevice EmulatorDevice = new(4, 4, 1);

    private static readonly Lazy<Context> Shared = new(
        () => Context.Create(builder => builder.CPU(EmulatorDevice).Cuda().EnableAlgorithms()),
        LazyThreadSafetyMode.ExecutionAndPublication);

    public static Context Context => Shared.Value;

    private static readonly Lazy<CudaDevice[]> Cuda = new(() => [.. Context.GetCudaDevices()]);

    public static IReadOnlyList<CudaDevice> CudaDevices => Cuda.Value;

    /// <summary>A new accelerator for <paramref name="device"/>; throws a clear error when the machine has no such device.</summary>
    public static Accelerator CreateAccelerator(Device device)
    {
        switch (device.Type)
        {
            case DeviceType.IlgpuCpu:
                return EmulatorDevice.CreateCPUAccelerator(Context, CPUAcceleratorMode.Parallel);
            case DeviceType.Cuda:
                var cuda = CudaDevices;
                if (device.Index >= cuda.Count)
                {
                    throw new InvalidOperationException(cuda.Count == 0
                        ? $"{device} was requested, but this machine has no CUDA device (no NVIDIA driver, or no GPU visible to it); use Device.Cpu, or Device.IlgpuCpu to run the GPU kernels on the CPU emulator"
                        : $"{device} was requested, but this machine has {cuda.Count} CUDA device(s): cuda:0 to cuda:{cuda.Count - 1}");
                }

                return cuda[device.Index].CreateAccelerator(Context);
            default:
                throw new NotSupportedException($"{device} is not an ILGPU device");
        }
    }
}
