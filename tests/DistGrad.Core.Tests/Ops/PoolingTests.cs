using static DistGrad.Tests.Ops.LayerOpTestData;

namespace DistGrad.Tests.Ops;

/// <summary>MaxPool2d against PyTorch 1.13 (F.max_pool2d with return_indices), its gradients by finite differences, names and errors.</summary>
public class PoolingTests
{
    [Fact]
    public void PaddedStridedPoolingMatchesPyTorchIncludingTies()
    {
        // x = pattern([1, 2, 5, 5], 7, 5, 11) repeats values, so windows hold ties: the first max gets the gradient.
        // y, i = F.max_pool2d(x, 3, stride=2, padding=1, return_indices=True); (y * pattern(y.shape, 3, 2, 5)).sum().backward()
        var x = Pattern([1, 2, 5, 5], 7, 5, 11, requiresGrad: true);
        var (y, indices) = x.MaxPool2dWithIndices(3, stride: 2, padding: 1);
        Assert.Equal([1, 2, 3, 3], y.Shape);
        Assert.Equal("MaxPool2DWithIndicesBackward0", y.GradFn!.Name);
        AssertClose([1.0, 1.25, 1.25, 1.0, 1.0, 1.25, 0.75, 1.0, 0.5, 1.25, 1.0, 1.0, 1.25, 1.25, 1.0, 0.5, 1.25, 0.25], y);
        Assert.Equal([6L, 3, 3, 6, 6, 14, 20, 17, 23, 0, 3, 3, 11, 11, 14, 20, 22, 23], indices.ToArray<long>());
        Assert.Equal(DType.Int64, indices.DType);

        (y * Pattern(y.Shape, 3, 2, 5)).Sum().Backward();
        AssertClose(
        [
            0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.5, 0.0, 0.0, -0.25, 0.0, 0.0, 0.25, 0.0, 0.0, 0.5, 0.0,
            0.0, 0.0, 0.0, -0.25, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.25, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.5, 0.0, 0.25, -0.25, 0.0,
        ],
            x.Grad!);
        Assert.Equal(y.ToArray<double>(), x.MaxPool2d(3, 2, 1).ToArray<double>());
    }

    [Fact]
    public void UnbatchedRectangularDilatedCeilModePoolingMatchesPyTorch()
    {
        // x = pattern([2, 6, 7], 5, 3, 13); F.max_pool2d(x, (2, 3), stride=(1, 2), padding=(1, 1), dilation=(2, 1), ceil_mode=True).
        var x = Pattern([2, 6, 7], 5, 3, 13, requiresGrad: true);
        var (y, indices) = x.MaxPool2dWithIndices((2, 3), stride: (1, 2), padding: (1, 1), dilation: (2, 1), ceilMode: true);
        Assert.Equal([2, 6, 4], y.Shape);
        AssertClose(
        [
            1.5, 2.0, 2.0, 1.25, 1.75, 1.75, 2.25, 2.25, 1.5, 2.0, 2.0, 1.25, 1.75, 2.25, 2.25, 1.5, 2.0, 2.0, 1.25, 1.75, 1.75, 2.25, 2.25, 1.5,
            2.0, 1.25, 1.75, 1.75, 2.25, 2.25, 1.5, 2.0, 2.0, 1.25, 1.75, 1.75, 2.25, 2.25, 2.0, 2.0, 1.25, 1.75, 1.75, 2.25, 2.25, 1.5, 2.0, 2.0,
        ],
            y);
        Assert.Equal(
            [7L, 10, 10, 12, 15, 2, 5, 5, 7, 10, 10, 12, 15, 31, 18, 20, 36, 23, 25, 41, 28, 31, 31, 33, 7, 9, 12, 12, 15, 2, 4, 20, 7, 9, 12, 12, 15, 15, 33, 20, 22, 38, 25, 41, 28, 30, 33, 33],
            indices.ToArray<long>());

        (y * Pattern(y.Shape, 3, 2, 5)).Sum().Backward();
        AssertClose(
        [
            0.0, 0.0, -0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.5, 0.0, 0.75, 0.0, 0.0, -0.25, 0.0, 0.0, 0.0, 0.0, -0.5, 0.0, 0.0, -0.25, 0.0,
            0.5, 0.0, 0.0, -0.5, 0.0, 0.0, 0.5, 0.0, 0.5, 0.0, 0.0, 0.25, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.5, 0.0, 0.0, -0.25, 0.0,
            0.0, 0.0, 0.0, -0.5, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0, 0.25, 0.0, -0.5, 0.0, 0.0, -0.25, 0.0, 0.0, 0.0, 0.0, -0.5, 0.0, 0.0, 0.5, 0.0,
            0.0, 0.0, 0.0, 0.25, 0.0, 0.0, 0.5,
        ],
            x.Grad!);
    }

    [Fact]
    public void OutputSizesFollowPyTorch()
    {
        var x = Tensor.Zeros([1, 1, 5, 5]);
        Assert.Equal([1, 1, 2, 2], x.MaxPool2d(2).Shape);
        Assert.Equal([1, 1, 3, 3], x.MaxPool2d(2, ceilMode: true).Shape);
        Assert.Equal([1, 1, 3, 3], x.MaxPool2d(3, stride: 2, padding: 1, ceilMode: true).Shape);
        Assert.Equal([0, 3, 3, 3], Tensor.Zeros([0, 3, 7, 7]).MaxPool2d(2).Shape);
    }

    [Fact]
    public void NaNWinsItsWindowAndTakesTheGradient()
    {
        // PyTorch: max_pool2d([[1, nan, 3, 4], [5, 6, nan, 2]], 2) = [nan, nan], indices [1, 6], grad [[0, 1, 0, 0], [0, 0, 1, 0]].
        var x = Tensor.From(new[] { 1f, float.NaN, 3, 4, 5, 6, float.NaN, 2 }, [1, 1, 2, 4], requiresGrad: true);
        var (y, indices) = x.MaxPool2dWithIndices(2);
        Assert.All(y.ToArray<float>(), v => Assert.True(float.IsNaN(v)));
        Assert.Equal([1L, 6], indices.ToArray<long>());
        y.Sum().Backward();
        Assert.Equal([0f, 1, 0, 0, 0, 0, 1, 0], x.Grad!.ToArray<float>());
    }

    [Fact]
    public void GradientsPassGradCheck()
    {
        // Distinct random values: no ties, so the max is differentiable.
        Assert.True(GradCheck.Check(x => x.MaxPool2d(2), Randn([2, 3, 4, 5], seed: 1)));
        Assert.True(GradCheck.Check(x => x.MaxPool2d(3, stride: 2, padding: 1), Randn([2, 2, 7, 6], seed: 2)));
        Assert.True(GradCheck.Check(x => x.MaxPool2d((2, 3), stride: (1, 2), padding: (1, 1), dilation: (2, 1), ceilMode: true), Randn([2, 6, 7], seed: 3)));
    }

    [Fact]
    public void SecondDerivativesPassGradCheck()
    {
        var x = Randn([1, 2, 5, 5], seed: 4);
        Assert.True(GradCheck.Check(GradOfSquare(xs => xs[0].MaxPool2d(3, stride: 2, padding: 1), wrt: 0), x));
        var y = x.MaxPool2d(2);
        var g = Autograd.Grad([y.Pow(2).Sum()], [x], createGraph: true)[0]!;
        Assert.Equal("MaxPool2DWithIndicesBackwardBackward0", g.GradFn!.Name);
    }

    [Fact]
    public void ErrorsMatchPyTorch()
    {
        var x = Tensor.Zeros([2, 3, 7, 7]);
        Assert.Equal("pad should be at most half of kernel size, but got pad=2 and kernel_size=3", Assert.Throws<ArgumentException>(() => x.MaxPool2d(3, padding: 2)).Message);
        Assert.Equal("pad must be non-negative, but got pad: -1", Assert.Throws<ArgumentException>(() => x.MaxPool2d(2, padding: -1)).Message);
        Assert.Equal("kernel size should be greater than zero, but got kH: 0 kW: 0", Assert.Throws<ArgumentException>(() => x.MaxPool2d(0, stride: 1)).Message);
        Assert.Equal("stride should not be zero", Assert.Throws<ArgumentException>(() => x.MaxPool2d(2, stride: 0)).Message);
        Assert.Equal("stride should be greater than zero, but got dH: -1 dW: -1", Assert.Throws<ArgumentException>(() => x.MaxPool2d(2, stride: -1)).Message);
        Assert.Equal("dilation should be greater than zero, but got dilationH: 0 dilationW: 0", Assert.Throws<ArgumentException>(() => x.MaxPool2d(2, dilation: 0)).Message);
        Assert.Equal(
            "Given input size: (3x7x7). Calculated output size: (3x0x0). Output size is too small",
            Assert.Throws<ArgumentException>(() => x.MaxPool2d(8)).Message);
        Assert.Equal(
            "Given input size: (3x1x7). Calculated output size: (3x0x3). Output size is too small",
            Assert.Throws<ArgumentException>(() => Tensor.Zeros([3, 1, 7]).MaxPool2d(2)).Message);
        Assert.Equal("non-empty 3D or 4D (batch mode) tensor expected for input", Assert.Throws<ArgumentException>(() => Tensor.Zeros([7, 7]).MaxPool2d(2)).Message);
        Assert.Equal(
            "Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got:[2, 0, 7, 7]",
            Assert.Throws<ArgumentException>(() => Tensor.Zeros([2, 0, 7, 7]).MaxPool2d(2)).Message);
        Assert.Equal("\"max_pool2d\" not implemented for 'Long'", Assert.Throws<NotSupportedException>(() => x.Long().MaxPool2d(2)).Message);
    }
}
