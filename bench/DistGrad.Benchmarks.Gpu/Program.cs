using System.Globalization;
using DistGrad;
using DistGrad.Benchmarks.Gpu;

// distgrad-gpu gpu [--device cuda:0] [--data DIR] [--gemm N] [--checks-only] [--skip-cpu-epoch]
// Prints the kernel checks as a markdown table, then "RESULT key value" lines that bench/gpu/run.sh tabulates.
if (args.Length == 0 || args[0] != "gpu")
{
    Console.Error.WriteLine("usage: distgrad-gpu gpu [--device cuda:0|ilgpu-cpu] [--data DIR] [--gemm N] [--checks-only] [--skip-cpu-epoch]");
    return 2;
}

var options = GpuOptions.Parse(args.Skip(1).ToArray());
Console.WriteLine($"devices: {string.Join(", ", Devices.Available())} (CUDA devices: {Devices.CudaCount})");
var device = options.Device ?? (Devices.CudaAvailable ? Device.Cuda(0) : Device.IlgpuCpu);
Console.WriteLine($"checking and timing {Devices.Describe(device)} against {Devices.Describe(Device.Cpu)}");

var failures = KernelChecks.Run(device, small: device.Type == DeviceType.IlgpuCpu);
Console.WriteLine($"RESULT checks_failed {failures}");
if (options.ChecksOnly)
{
    return failures == 0 ? 0 : 1;
}

var gemm = options.GemmSize ?? (device.Type == DeviceType.IlgpuCpu ? 128 : 4096);
Console.WriteLine($"RESULT gemm_size {gemm}");
Console.WriteLine($"RESULT gemm_gflops_device {GemmTiming.GflopsPerSecond(device, gemm, repeats: 10).ToString("F1", CultureInfo.InvariantCulture)}");
Console.WriteLine($"RESULT gemm_gflops_cpu {GemmTiming.GflopsPerSecond(Device.Cpu, gemm, repeats: 1).ToString("F1", CultureInfo.InvariantCulture)}");

var data = options.DataDirectory ?? MlpEpoch.FindData();
var samples = device.Type == DeviceType.IlgpuCpu ? 128 : int.MaxValue;
Console.WriteLine($"RESULT mlp_data {data}");

// Two untimed batches first: each kernel is compiled (PTX, then the driver's JIT) on its first launch.
if (device.Type == DeviceType.Cuda)
{
    _ = MlpEpoch.Run(device, data, 256);
}
var onDevice = MlpEpoch.Run(device, data, samples);
Console.WriteLine($"RESULT mlp_samples {onDevice.Samples}");
Console.WriteLine($"RESULT mlp_epoch_s_device {onDevice.Seconds.ToString("F3", CultureInfo.InvariantCulture)}");
Console.WriteLine($"RESULT mlp_loss_device {onDevice.MeanLoss.ToString("F5", CultureInfo.InvariantCulture)}");
if (!options.SkipCpuEpoch)
{
    var onCpu = MlpEpoch.Run(Device.Cpu, data, samples);
    Console.WriteLine($"RESULT mlp_epoch_s_cpu {onCpu.Seconds.ToString("F3", CultureInfo.InvariantCulture)}");
    Console.WriteLine($"RESULT mlp_loss_cpu {onCpu.MeanLoss.ToString("F5", CultureInfo.InvariantCulture)}");
}

return failures == 0 ? 0 : 1;
