namespace DistGrad.Tests.Kernels.Ilgpu;

[Collection(IlgpuCollection.Name)]
public class SpecialKernelTests
{
    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void Erf_gelu_and_gelu_backward_match_the_cpu(DType dtype)
    {
        var x = OnBoth.Randn(9, dtype, 5, 7) * 3;
        var tol = OnBoth.Tol(dtype);
        OnBoth.Check(i => i[0].Erf(), tol, x);
        OnBoth.Check(i => i[0].T.Gelu(), tol, x);
        OnBoth.Check(
            i =>
            {
                var xi = i[0].SetRequiresGrad();
                xi.Gelu().Sum().Backward();
                return xi.Grad!;
            },
            tol,
            x);
    }
}
