namespace DistGrad.Kernels.Ilgpu;

/// <summary>erf, GELU and GELU's backward (see <see cref="SpecialKernels"/>).</summary>
internal sealed partial class IlgpuKernels
{
    public Tensor Erf(Tensor x) => MapSpecial(x, SpecialKernels.Erf, "erf");

    public Tensor Gelu(Tensor x) => MapSpecial(x, SpecialKernels.Gelu, "gelu");

    public Tensor GeluBackward(Tensor grad, Tensor x)
    {
        if (!Shapes.SameShape(grad.ShapeRef, x.ShapeRef) || grad.DType != x.DType)
        {
            throw new ArgumentException($"gelu backward needs grad and input of one shape and dtype, got {Shapes.Format(grad.ShapeRef)} {grad.DType.TorchName()} and {Shapes.Format(x.ShapeRef)} {x.DType.TorchName()}");
        }

        var result = NewTensor(x.DType, x.Shape);
        var (lg, lx) = (Layout(grad), Layout(x));
        ByDType(
            x.DType,
            () => _launch.Launch(result.Numel, SpecialKernels.GeluBackward<float, F32>, View<float>(grad), lg, View<float>(x), lx, View<float>(result)),
            () => _launch.Launch(result.Numel, SpecialKernels.GeluBackward<double, F64>, View<double>(grad), lg, View<double>(x), lx, View<double>(result)),
            null,
            null,
            "gelu");
        return result;
    }

    private Tensor MapSpecial(Tensor x, int function, string name)
    {
        var result = NewTensor(x.DType, x.Shape);
        var lx = Layout(x);
        ByDType(
            x.DType,
            () => _launch.Launch(result.Numel, SpecialKernels.Map<float, F32>, View<float>(x), lx, View<float>(result), function),
            () => _launch.Launch(result.Numel, SpecialKernels.Map<double, F64>, View<double>(x), lx, View<double>(result), function),
            null,
            null,
            name);
        return result;
    }
}
