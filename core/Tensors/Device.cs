namespace DistGrad;

/// <summary>The kind of processor a tensor's storage lives on.</summary>
public enum DeviceType
{
    Cpu,
    Cuda,
    IlgpuCpu,
}

/// <summary>Where a tensor's storage lives: <c>Device.Cpu</c>, <c>Device.Cuda(0)</c>, ...</summary>
public readonly record struct Device(DeviceType Type, int Index)
{
    public static Device Cpu => new(DeviceType.Cpu, 0);

    public static Device Cuda(int index = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return new(DeviceType.Cuda, index);
    }

    /// <summary>ILGPU's CPU accelerator: runs the GPU kernels on the CPU, for testing them.</summary>
    public static Device IlgpuCpu => new(DeviceType.IlgpuCpu, 0);

    /// <summary>PyTorch's spelling: "cpu", "cuda:0".</summary>
    public override string ToString() => Type switch
    {
        DeviceType.Cpu => "cpu",
        DeviceType.Cuda => $"cuda:{Index}",
        _ => $"ilgpu-cpu:{Index}",
    };
}
