namespace DistGrad.Kernels.Ilgpu;

/// <summary>Max pooling, one thread per output; its backward is the ops' scatter_add of the indices.</summary>
internal sealed partial class IlgpuKernels
{
    public (Tensor Values, Tensor Indices) MaxPool2d(Tensor input, Window2d window, int outH, int outW)
    {
        var g = ImageGeometry.Of(input.ShapeRef, window, outH, outW);
        var values = NewTensor(input.DType, [g.N, g.C, outH, outW]);
        var indices = NewTensor(DType.Int64, [g.N, g.C, outH, outW]);
        var (lx, idx) = (Layout(input), View<long>(indices));
        ByDType(
            input.DType,
            () => _launch.Launch(values.Numel, ImageKernels.MaxPool<float, F32>, View<float>(input), lx, View<float>(values), idx, g),
            () => _launch.Launch(values.Numel, ImageKernels.MaxPool<double, F64>, View<double>(input), lx, View<double>(values), idx, g),
            null,
            null,
            "\"max_pool2d\"");
        return (values, indices);
    }
}
