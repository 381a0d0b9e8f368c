using System.Diagnostics;

namespace DistGrad.Benchmarks.Gpu;

/// <summary>Times C = A·B for n×n float32 matrices: 2n³ flops per product, after one warm-up product.</summary>
internal static class GemmTiming
{
    public static double GflopsPerSecond(Device device, int n, int repeats)
    {
        var a = Tensor.Randn([n, n], generator: new Generator(1)).To(device);
        var b = Tensor.Randn([n, n], generator: new Generator(2)).To(device);
        _ = a.Mm(b);
        Devices.Synchronize(device);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < repeats; i++)
        {
            _ = a.Mm(b);
        }

        Devices.Synchronize(device);
        return 2.0 * n * n * n * repeats / clock.Elapsed.TotalSeconds / 1e9;
    }
}
