namespace DistGrad.Tests.Kernels.Ilgpu;

[Collection(IlgpuCollection.Name)]
public class ImageKernelTests
{
    [Theory]
    [InlineData(1, 0, 1)]
    [InlineData(2, 1, 1)]
    [InlineData(1, 2, 2)]
    public void Conv2d_forward_and_both_gradients_match_the_cpu(int stride, int padding, int dilation)
    {
        var x = OnBoth.Randn(1, DType.Float32, 2, 3, 7, 6);
        var w = OnBoth.Randn(2, DType.Float32, 4, 3, 3, 2);
        var b = OnBoth.Randn(3, DType.Float32, 4);
        OnBoth.Check(i => Tensor.Conv2d(i[0], i[1], i[2], stride, padding, dilation), 1e-5, x, w, b);
        OnBoth.Check(i => Tensor.Conv2d(i[0].Transpose(2, 3).Transpose(2, 3), i[1], null, stride, padding, dilation), 1e-5, x, w);
        foreach (var input in new[] { 0, 1, 2 })
        {
            var which = input;
            OnBoth.Check(
                i =>
                {
                    var (xi, wi, bi) = (Leaf(i[0]), Leaf(i[1]), Leaf(i[2]));
                    var y = Tensor.Conv2d(xi, wi, bi, stride, padding, dilation);
                    (y * y.Detach().Tanh()).Sum().Backward();
                    return new[] { xi, wi, bi }[which].Grad!;
                },
                1e-4,
                x,
                w,
                b);
        }
    }

    [Fact]
    public void Conv2d_in_float64_and_a_pointwise_kernel_matches_the_cpu()
    {
        var x = OnBoth.Randn(4, DType.Float64, 1, 2, 5, 5);
        var w = OnBoth.Randn(5, DType.Float64, 3, 2, 1, 1);
        OnBoth.Check(i => Tensor.Conv2d(i[0], i[1]), 1e-12, x, w);
    }

    [Theory]
    [InlineData(2, null, 0, 1)]
    [InlineData(3, 2, 1, 1)]
    [InlineData(2, 1, 1, 2)]
    public void Max_pool_values_indices_and_gradient_match_the_cpu(int kernel, int? stride, int padding, int dilation)
    {
        var x = OnBoth.Randn(6, DType.Float32, 2, 3, 7, 6);
        OnBoth.Check(i => i[0].MaxPool2d(kernel, stride, padding, dilation), 0, x);
        OnBoth.Check(i => i[0].MaxPool2dWithIndices(kernel, stride, padding, dilation).Indices, 0, x);
        OnBoth.Check(
            i =>
            {
                var xi = i[0].SetRequiresGrad();
                var y = xi.MaxPool2d(kernel, stride, padding, dilation);
                (y * y.Detach()).Sum().Backward();
                return xi.Grad!;
            },
            1e-6,
            x);
        OnBoth.Check(i => i[0].MaxPool2d(2), 0, Tensor.From(new[] { 1.0, double.NaN, 3, 3 }, [1, 1, 2, 2]));
    }

    /// <summary>A fresh leaf with the same values, so gradients do not accumulate across checks.</summary>
    private static Tensor Leaf(Tensor t) => t.Detach().Clone().SetRequiresGrad();
}
