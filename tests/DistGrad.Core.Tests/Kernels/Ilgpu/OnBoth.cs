namespace DistGrad.Tests.Kernels.Ilgpu;

/// <summary>
/// Runs one computation on the CPU backend and on ILGPU's CPU emulator and compares the results: the CPU backend is
/// the reference, the emulator runs the very kernels a GPU would.
/// </summary>
internal static class OnBoth
{
    public static Device Ilgpu => Device.IlgpuCpu;

    /// <summary>op on the CPU inputs and on copies of them moved to the emulator; results must agree within rel.</summary>
    public static void Check(Func<Tensor[], Tensor> op, double rel, params Tensor[] cpuInputs)
    {
        var expected = op(cpuInputs);
        var actual = op(cpuInputs.Select(t => t.Detach().To(Ilgpu)).ToArray());
        Close(expected, actual, rel);
    }

    /// <summary>Same dtype and shape, actual on the emulator, values within rel (relative, absolute near 0); NaN matches NaN.</summary>
    public static void Close(Tensor expected, Tensor actual, double rel)
    {
        Assert.Equal(Device.Cpu, expected.Device);
        Assert.Equal(Ilgpu, actual.Device);
        Assert.Equal(expected.DType, actual.DType);
        Assert.Equal(expected.Shape, actual.Shape);
        if (expected.DType == DType.Bool)
        {
            Assert.Equal(expected.ToArray<bool>(), actual.ToArray<bool>());
            return;
        }

        if (expected.DType == DType.Int64)
        {
            Assert.Equal(expected.ToArray<long>(), actual.ToArray<long>());
            return;
        }

        var e = expected.ToArray<double>();
        var a = actual.ToArray<double>();
        for (var i = 0; i < e.Length; i++)
        {
            var ok = double.IsNaN(e[i]) ? double.IsNaN(a[i])
                : double.IsInfinity(e[i]) ? e[i] == a[i]
                : Math.Abs(e[i] - a[i]) <= rel * (1 + Math.Abs(e[i]));
            Assert.True(ok, $"element {i} of {Shapes.Format(expected.Shape)}: expected {e[i]:R}, got {a[i]:R}");
        }
    }

    /// <summary>Seeded normal values of a shape and dtype, on the CPU.</summary>
    public static Tensor Randn(int seed, DType dtype, params int[] shape) => Tensor.Randn(shape, dtype, generator: new Generator(seed));

    /// <summary>The tolerance of a dtype's results: float32 rounding, or double rounding.</summary>
    public static double Tol(DType dtype) => dtype == DType.Float64 ? 1e-12 : 2e-6;
}
