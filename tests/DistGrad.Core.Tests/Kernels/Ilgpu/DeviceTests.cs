using DistGrad.Kernels;

namespace DistGrad.Tests.Kernels.Ilgpu;

[Collection(IlgpuCollection.Name)]
public class DeviceTests
{
    [Fact]
    public void Enumeration_lists_the_cpu_each_gpu_and_the_emulator()
    {
        var available = Devices.Available();
        Assert.Equal(Device.Cpu, available[0]);
        Assert.Contains(Device.IlgpuCpu, available);
        Assert.Equal(Devices.CudaCount, available.Count(d => d.Type == DeviceType.Cuda));
        Assert.Equal(Devices.CudaCount == 0 ? [Device.Cpu] : Enumerable.Range(0, Devices.CudaCount).Select(Device.Cuda).ToArray(), Devices.Accelerators());
        Assert.True(Devices.IsAvailable(Device.IlgpuCpu));
        Assert.False(Devices.IsAvailable(Device.Cuda(Devices.CudaCount)));
    }

    [Fact]
    public void Asking_for_a_gpu_that_is_not_there_says_so()
    {
        var missing = Device.Cuda(Devices.CudaCount);
        var error = Assert.Throws<InvalidOperationException>(() => Tensor.Ones([2]).To(missing));
        Assert.Contains(missing.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains(Devices.CudaCount == 0 ? "no CUDA device" : "CUDA device(s)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cpu", DeviceType.Cpu, 0)]
    [InlineData("cuda", DeviceType.Cuda, 0)]
    [InlineData(" CUDA:3 ", DeviceType.Cuda, 3)]
    [InlineData("ilgpu-cpu", DeviceType.IlgpuCpu, 0)]
    public void Device_names_parse_as_pytorch_spells_them(string text, DeviceType type, int index)
    {
        Assert.Equal(new Device(type, index), Devices.Parse(text));
        Assert.Throws<FormatException>(() => Devices.Parse("cuda:-1"));
        Assert.Throws<FormatException>(() => Devices.Parse("tpu"));
    }

    [Fact]
    public void Tensors_move_to_the_emulator_without_setup_and_back()
    {
        var x = Tensor.From(new[,] { { 1f, 2f }, { 3f, 4f } });
        var moved = x.To(Device.IlgpuCpu);
        Assert.Equal(Device.IlgpuCpu, moved.Device);
        Assert.Equal(Device.IlgpuCpu, KernelRegistry.For(Device.IlgpuCpu).Device);
        Assert.Equal(new[] { 1f, 3f, 2f, 4f }, moved.T.ToArray<float>());
        Assert.Equal(10, moved.Sum().Item());
        Assert.Equal(Device.Cpu, moved.To(Device.Cpu).Device);
        Assert.Equal(new[] { 0L, 0, 0 }, Tensor.Zeros([3], DType.Int64, device: Device.IlgpuCpu).ToArray<long>());
        Assert.Equal(new[] { 0f, 0 }, Tensor.Empty([2], device: Device.IlgpuCpu).ToArray<float>());
    }

    [Fact]
    public void Freed_device_buffers_are_reused_by_size_bucket()
    {
        static void Churn()
        {
            for (var i = 0; i < 4; i++)
            {
                _ = Tensor.Ones([1000], device: Device.IlgpuCpu);
            }
        }

        Churn();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var reserved = Devices.ReservedBytes(Device.IlgpuCpu);
        Churn();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Churn();
        Assert.Equal(reserved, Devices.ReservedBytes(Device.IlgpuCpu));
    }

    [Fact]
    public void Device_lists_resolve_auto_and_name_the_bad_entry()
    {
        Assert.Equal(Devices.Accelerators(), Devices.ParseList("auto"));
        Assert.Equal([Device.Cpu], Devices.ParseList(" cpu "));
        Assert.Equal([Device.Cpu, Device.IlgpuCpu], Devices.ParseList("cpu,ilgpu-cpu", allowEmulator: true));
        Assert.Contains("'ilgpu-cpu' is not available on this machine", Assert.Throws<ArgumentException>(() => Devices.ParseList("ilgpu-cpu")).Message);
        Assert.Contains("unknown device \"tpu\"", Assert.Throws<ArgumentException>(() => Devices.ParseList("cpu,tpu")).Message);
        Assert.Contains("needs at least one device", Assert.Throws<ArgumentException>(() => Devices.ParseList(",")).Message);
        if (Devices.CudaCount == 0)
        {
            Assert.Contains("it has no CUDA device", Assert.Throws<ArgumentException>(() => Devices.ParseList("cuda:0")).Message);
        }
        else
        {
            Assert.Contains("listed twice", Assert.Throws<ArgumentException>(() => Devices.ParseList("cuda:0,cuda:0")).Message);
        }
    }
}
