using static DistGrad.Tests.Ops.LayerOpTestData;

namespace DistGrad.Tests.Ops;

/// <summary>Conv2d against PyTorch 1.13 (torch.nn.functional.conv2d), its gradients by finite differences, names and errors.</summary>
public class ConvolutionTests
{
    // x = pattern([2, 2, 5, 5], 7, 5, 11), w = pattern([3, 2, 3, 3], 5, 3, 7), b = [0.5, -1, 0.25], stride 2, padding 1;
    // y = F.conv2d(x, w, b, stride=2, padding=1); (y * pattern(y.shape, 3, 2, 5)).sum().backward().
    private static readonly double[] StridedY =
    [
        -0.125, -0.0625, -0.625, -0.1875, -0.3125, 2.75, 0.625, -0.3125, 0.25, -2.6875, -0.0625, -1.1875, 1.5, 0.75, -1.625, -1.5, -2.625, -0.5,
        -0.3125, -0.375, 1.875, -0.1875, -0.6875, 0.25, 0.0, -0.4375, 0.1875, 2.3125, 0.3125, 0.1875, -2.25, 2.125, -0.875, 2.3125, 1.875, 0.5,
        -2.375, -1.3125, -1.625, -2.875, 0.0625, 1.375, -0.375, -2.0625, -1.5, -1.25, 1.5625, 0.1875, 2.75, 0.3125, 0.25, 0.5625, -1.5, 1.875,
    ];

    private static readonly double[] StridedGradX =
    [
        -0.25, 0.0, -0.0625, -0.375, -0.1875, 0.8125, 0.125, -0.4375, 0.9375, -0.125, 0.3125, -0.5, 0.1875, 0.6875, -0.25, -0.4375, 0.375, 0.1875,
        -0.375, 0.8125, -0.0625, -0.375, -0.1875, 0.1875, 0.3125, -0.25, 0.6875, 0.1875, -0.5, 0.3125, -0.125, 0.9375, -0.4375, 0.125, 0.8125,
        -0.1875, -0.375, -0.0625, 0.0, -0.25, 0.1875, 0.375, -0.4375, -1.0625, -0.125, 0.1875, -0.5, 0.3125, 0.1875, -0.1875, -0.1875, 0.1875,
        0.3125, -0.5, 0.1875, -0.125, -1.0625, -0.4375, 0.375, 0.1875, -0.25, 0.0, -0.0625, -0.375, -0.1875, 0.8125, 0.125, -0.4375, 0.9375,
        -0.125, 0.3125, -0.5, 0.1875, 0.6875, -0.25, 0.3125, 0.1875, -0.1875, -0.375, -0.0625, 0.8125, -0.375, 0.1875, 0.375, -0.4375, -0.25,
        0.6875, 0.1875, -0.5, 0.3125, -0.125, 0.9375, -0.4375, 0.125, 0.8125, -0.1875, -0.375, -0.0625, 0.0, -0.25,
    ];

    private static readonly double[] StridedGradW =
    [
        0.75, -1.75, -0.25, 0.875, 0.0, -1.5, 0.5625, 0.8125, -0.125, 0.9375, -3.125, 0.9375, 0.9375, -2.0, -0.3125, 1.25, 0.3125, -1.5625,
        -0.25, 1.1875, -0.9375, -1.5, 1.0625, 0.1875, -0.125, 0.625, 0.75, 0.9375, 1.25, -1.5625, -0.3125, 1.75, -0.3125, -1.5625, 1.25, 0.9375,
        -0.9375, -0.875, 0.5625, 0.1875, -1.9375, 0.3125, 0.75, -1.75, -0.25, -1.5625, 0.3125, 1.25, -0.3125, -2.0, 0.9375, 0.9375, -3.125, 0.9375,
    ];

    // x = pattern([1, 2, 7, 6], 7, 5, 11), w = pattern([2, 2, 3, 2], 5, 3, 7), no bias, stride (2, 1), padding (1, 0), dilation (1, 2).
    private static readonly double[] AsymmetricY =
    [
        1.75, -0.1875, -2.8125, 1.4375, -2.25, -2.25, 2.5625, -2.25, -2.25, 2.5625, -2.25, -0.875, 1.75, -2.5, 1.5, 2.0625, 2.0625, -0.8125,
        1.8125, -1.75, 0.125, 1.0625, -1.4375, 0.1875, 1.0625, -1.4375, 0.1875, 0.4375, -2.0625, 0.9375, -0.1875, -2.0,
    ];

    private static readonly double[] AsymmetricGradX =
    [
        -0.1875, 0.1875, 0.0, -0.25, 0.375, -0.25, -0.5, 0.625, -0.5625, 0.5625, -0.125, -0.125, 0.375, -0.1875, -0.0625, 0.0, -0.25, 0.375,
        -0.375, -0.5, 1.125, -0.5625, -0.125, -0.125, 0.0, 0.375, -0.4375, -0.0625, 0.375, -0.25, 0.6875, -0.375, -0.625, 1.125, -0.125, -0.125,
        -0.375, 0.0, 0.75, -0.4375, -0.25, 0.375, -0.3125, 0.1875, -0.4375, 0.4375, -0.375, 0.0, 0.0, 0.0625, -0.375, 0.8125, -0.4375, 0.6875,
        0.125, -0.3125, 0.5625, -0.4375, 0.1875, -0.375, -0.375, 0.0, -0.3125, -0.375, 0.625, -0.4375, 0.25, 0.125, -0.3125, 0.5625, -0.1875,
        0.1875, 0.1875, -0.375, 0.6875, -0.3125, -0.5, 0.625, -0.25, 0.25, -0.25, -0.3125, 0.375, -0.1875,
    ];

    private static readonly double[] AsymmetricGradW =
    [
        0.375, 0.6875, 0.75, 0.375, 0.1875, -0.6875, -0.625, 0.375, 0.4375, 0.75, 0.375, 0.1875, 0.1875, -0.6875, -0.375, -0.1875, -0.9375,
        0.4375, 0.375, 0.1875, -1.9375, -0.375, 0.4375, -0.9375,
    ];

    [Theory]
    [InlineData(DType.Float64)]
    [InlineData(DType.Float32)]
    public void StridedPaddedWithBiasMatchesPyTorch(DType dtype)
    {
        var x = Pattern([2, 2, 5, 5], 7, 5, 11).To(dtype).SetRequiresGrad();
        var w = Pattern([3, 2, 3, 3], 5, 3, 7).To(dtype).SetRequiresGrad();
        var b = Tensor.From(new[] { 0.5, -1, 0.25 }).To(dtype).SetRequiresGrad();
        var y = Tensor.Conv2d(x, w, b, stride: 2, padding: 1);
        Assert.Equal([2, 3, 3, 3], y.Shape);
        Assert.Equal(dtype, y.DType);
        Assert.Equal("ConvolutionBackward0", y.GradFn!.Name);
        AssertClose(StridedY, y);

        (y * Pattern(y.Shape, 3, 2, 5).To(dtype)).Sum().Backward();
        AssertClose(StridedGradX, x.Grad!);
        AssertClose(StridedGradW, w.Grad!);
        AssertClose([-0.25, 0, 0.25], b.Grad!);
    }

    [Fact]
    public void AsymmetricStridePaddingDilationWithoutBiasMatchesPyTorch()
    {
        var x = Pattern([1, 2, 7, 6], 7, 5, 11, requiresGrad: true);
        var w = Pattern([2, 2, 3, 2], 5, 3, 7, requiresGrad: true);
        var y = Tensor.Conv2d(x, w, null, stride: (2, 1), padding: (1, 0), dilation: (1, 2));
        Assert.Equal([1, 2, 4, 4], y.Shape);
        AssertClose(AsymmetricY, y);

        (y * Pattern(y.Shape, 3, 2, 5)).Sum().Backward();
        AssertClose(AsymmetricGradX, x.Grad!);
        AssertClose(AsymmetricGradW, w.Grad!);
    }

    [Fact]
    public void UnbatchedInputIsOneSampleSqueezedAsInPyTorch()
    {
        var x = Pattern([2, 2, 5, 5], 7, 5, 11);
        var w = Pattern([3, 2, 3, 3], 5, 3, 7, requiresGrad: true);
        var y = Tensor.Conv2d(x[1], w, null, stride: 2, padding: 1);
        Assert.Equal([3, 3, 3], y.Shape);
        Assert.Equal("SqueezeBackward1", y.GradFn!.Name);
        Assert.Equal(Tensor.Conv2d(x, w, null, stride: 2, padding: 1)[1].ToArray<double>(), y.ToArray<double>());
    }

    [Fact]
    public void OneByOneKernelIsAChannelMatrixProduct()
    {
        // A 1x1 convolution mixes channels at each pixel: y[n, :, i, j] = w[:, :, 0, 0] · x[n, :, i, j] + b.
        var x = Randn([2, 3, 4, 5], seed: 1);
        var w = Randn([4, 3, 1, 1], seed: 2);
        var b = Randn([4], seed: 3);
        var y = Tensor.Conv2d(x, w, b);
        var expected = w.Reshape(4, 3).MatMul(x.Permute(0, 2, 3, 1).Unsqueeze(-1)).Squeeze(-1) + b;
        AssertClose(expected.Permute(0, 3, 1, 2).ToArray<double>(), y);
    }

    [Fact]
    public void GradientsPassGradCheckWithStrideTwoAndPaddingOne()
    {
        var x = Randn([2, 2, 5, 5], seed: 11);
        var w = Randn([3, 2, 3, 3], seed: 12);
        var b = Randn([3], seed: 13);
        Assert.True(GradCheck.Check(xs => Tensor.Conv2d(xs[0], xs[1], xs[2], stride: 2, padding: 1), x, w, b));
    }

    [Fact]
    public void GradientsPassGradCheckForOddSizesWithoutBias()
    {
        // (6 + 2 - 3) = 5 is not a multiple of the stride 2: the last input row is read by no window.
        var x = Randn([2, 3, 6, 5], seed: 21);
        var w = Randn([2, 3, 3, 2], seed: 22);
        Assert.True(GradCheck.Check(xs => Tensor.Conv2d(xs[0], xs[1], null, stride: (2, 3), padding: (1, 1)), x, w));
        Assert.True(GradCheck.Check(xs => Tensor.Conv2d(xs[0], xs[1]), x, w));
        Assert.True(GradCheck.Check(xs => Tensor.Conv2d(xs[0], xs[1], null, stride: (1, 2), padding: (2, 0), dilation: (2, 1)), x, w));
    }

    [Fact]
    public void GradientsPassGradCheckForPointwiseAndUnbatched()
    {
        var x = Randn([2, 3, 3, 4], seed: 31);
        var w = Randn([2, 3, 1, 1], seed: 32);
        var b = Randn([2], seed: 33);
        Assert.True(GradCheck.Check(xs => Tensor.Conv2d(xs[0], xs[1], xs[2]), x, w, b));
        Assert.True(GradCheck.Check(xs => Tensor.Conv2d(xs[0][0], xs[1], xs[2], padding: 1), x, w, b));
    }

    [Fact]
    public void SecondDerivativesPassGradCheck()
    {
        var x = Randn([2, 2, 5, 4], seed: 41);
        var w = Randn([3, 2, 3, 2], seed: 42);
        var b = Randn([3], seed: 43);
        Func<Tensor[], Tensor> conv = xs => Tensor.Conv2d(xs[0], xs[1], xs[2], stride: 2, padding: 1);
        Assert.True(GradCheck.Check(GradOfSquare(conv, wrt: 0), x, w, b));
        Assert.True(GradCheck.Check(GradOfSquare(conv, wrt: 1), x, w, b));
        Assert.True(GradCheck.Check(GradOfSquare(conv, wrt: 2), x, w, b));
    }

    [Fact]
    public void DoubleBackwardNodesAreConvolutionBackwardBackward0()
    {
        var x = Randn([1, 2, 4, 4], seed: 51);
        var w = Randn([2, 2, 3, 3], seed: 52);
        var y = Tensor.Conv2d(x, w, padding: 1);
        var grads = Autograd.Grad([y.Pow(2).Sum()], [x, w], createGraph: true);
        Assert.Equal("ConvolutionBackwardBackward0", grads[0]!.GradFn!.Name);
        Assert.Equal("ConvolutionBackwardBackward0", grads[1]!.GradFn!.Name);
    }

    [Fact]
    public void OnlyTheInputsThatRequireGradGetGradients()
    {
        var x = Randn([1, 1, 4, 4], seed: 61).Detach();
        var w = Randn([2, 1, 3, 3], seed: 62);
        var b = Tensor.Zeros([2], DType.Float64);
        Tensor.Conv2d(x, w, b).Sum().Backward();
        Assert.Null(x.Grad);
        Assert.Null(b.Grad);
        Assert.Equal([2, 1, 3, 3], w.Grad!.Shape);
    }

    [Fact]
    public void ErrorsNameTheShapes()
    {
        var x = Tensor.Zeros([2, 1, 7, 7]);
        var w = Tensor.Zeros([4, 3, 3, 3]);
        Assert.Equal(
            "Given groups=1, weight of size [4, 3, 3, 3], expected input[2, 1, 7, 7] to have 3 channels, but got 1 channels instead",
            Assert.Throws<ArgumentException>(() => Tensor.Conv2d(x, w)).Message);
        Assert.Equal(
            "Calculated padded input size per channel: (2 x 2). Kernel size: (3 x 3). Kernel size can't be greater than actual input size",
            Assert.Throws<ArgumentException>(() => Tensor.Conv2d(Tensor.Zeros([2, 3, 2, 2]), w)).Message);
        Assert.Equal(
            "Calculated padded input size per channel: (7 x 7). Kernel size: (9 x 9). Kernel size can't be greater than actual input size",
            Assert.Throws<ArgumentException>(() => Tensor.Conv2d(Tensor.Zeros([2, 3, 7, 7]), w, dilation: 4)).Message);
        Assert.Equal([2, 4, 2, 2], Tensor.Conv2d(Tensor.Zeros([2, 3, 2, 2]), w, padding: 1).Shape);
        Assert.Equal(
            "Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [3, 7]",
            Assert.Throws<ArgumentException>(() => Tensor.Conv2d(Tensor.Zeros([3, 7]), w)).Message);
        Assert.Contains("[4, 3, 3]", Assert.Throws<ArgumentException>(() => Tensor.Conv2d(Tensor.Zeros([2, 3, 7, 7]), Tensor.Zeros([4, 3, 3]))).Message);
        Assert.Equal(
            "Given weight of size [4, 3, 3, 3], expected bias to be 1-dimensional with 4 elements, but got bias of size [5] instead",
            Assert.Throws<ArgumentException>(() => Tensor.Conv2d(Tensor.Zeros([2, 3, 7, 7]), w, Tensor.Zeros([5]))).Message);
        Assert.Equal("non-positive stride is not supported", Assert.Throws<ArgumentException>(() => Tensor.Conv2d(Tensor.Zeros([2, 3, 7, 7]), w, stride: 0)).Message);
        Assert.Equal("negative padding is not supported", Assert.Throws<ArgumentException>(() => Tensor.Conv2d(Tensor.Zeros([2, 3, 7, 7]), w, padding: -1)).Message);
        Assert.Equal("non-positive dilation is not supported", Assert.Throws<ArgumentException>(() => Tensor.Conv2d(Tensor.Zeros([2, 3, 7, 7]), w, dilation: 0)).Message);
        Assert.Equal(
            "Input type (torch.float32) and weight type (torch.float64) should be the same",
            Assert.Throws<ArgumentException>(() => Tensor.Conv2d(Tensor.Zeros([2, 3, 7, 7]), w.Double())).Message);
        Assert.Equal(
            "Input type (torch.float32) and bias type (torch.float64) should be the same",
            Assert.Throws<ArgumentException>(() => Tensor.Conv2d(Tensor.Zeros([2, 3, 7, 7]), w, Tensor.Zeros([4], DType.Float64))).Message);
    }

    [Fact]
    public void InfinityTimesZeroWeightIsNaNAsInPyTorch()
    {
        // F.conv2d([[[[inf]]]], zeros(1, 1, 1, 1)) = nan: a zero weight does not skip its product.
        var y = Tensor.Conv2d(Tensor.Full([1, 1, 2, 2], double.PositiveInfinity), Tensor.Zeros([1, 1, 2, 2]));
        Assert.True(float.IsNaN(y.ToArray<float>()[0]));
    }

    [Fact]
    public void IntegerConvolutionComputesExactly()
    {
        // PyTorch 1.13 convolves int64 tensors on the CPU: conv2d(arange(16).view(1,1,4,4), ones(1,1,2,2, long)) = [[10, 14, 18], [26, 30, 34], [42, 46, 50]].
        var y = Tensor.Conv2d(Tensor.Arange(16).Reshape(1, 1, 4, 4), Tensor.Ones([1, 1, 2, 2], DType.Int64));
        Assert.Equal(DType.Int64, y.DType);
        Assert.Equal([10L, 14, 18, 26, 30, 34, 42, 46, 50], y.ToArray<long>());
    }

    [Fact]
    public void LargeBatchesSplitOverCoresGiveTheSameResultAsOneSampleAtATime()
    {
        // Batches above the parallel threshold are split into chunks; each sample's output must not depend on that.
        var x = Tensor.Randn([40, 3, 12, 12], DType.Float64, generator: new Generator(71));
        var w = Randn([8, 3, 5, 5], seed: 72);
        var b = Randn([8], seed: 73);
        var y = Tensor.Conv2d(x, w, b, padding: 2);
        var grad = Tensor.Randn(y.Shape, DType.Float64, generator: new Generator(74));
        var gw = Autograd.Grad([y], [w], [grad])[0]!;
        var gwSum = Tensor.Zeros([8, 3, 5, 5], DType.Float64);
        for (var n = 0; n < 40; n += 13)
        {
            var xi = x[TensorIndex.Slice(n, Math.Min(n + 13, 40))];
            var yi = Tensor.Conv2d(xi, w, b, padding: 2);
            AssertClose(y[TensorIndex.Slice(n, Math.Min(n + 13, 40))].ToArray<double>(), yi);
            gwSum += Autograd.Grad([yi], [w], [grad[TensorIndex.Slice(n, Math.Min(n + 13, 40))]])[0]!;
        }

        AssertClose(gwSum.ToArray<double>(), gw, 1e-10);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void LargeImagesMatchTheDefinitionComputedElementByElement(int batch)
    {
        // Few large images are spread over cores by output channel instead of by sample; compare all three
        // kernels with the sums that define them.
        const int C = 3, O = 16, H = 30, W = 27, K = 3, S = 2, P = 1;
        var x = Tensor.Randn([batch, C, H, W], DType.Float64, generator: new Generator(81)).SetRequiresGrad();
        var w = Randn([O, C, K, K], seed: 82);
        var y = Tensor.Conv2d(x, w, stride: S, padding: P);
        var (oh, ow) = (((H + (2 * P) - K) / S) + 1, ((W + (2 * P) - K) / S) + 1);
        Assert.Equal([batch, O, oh, ow], y.Shape);
        var g = Tensor.Randn(y.Shape, DType.Float64, generator: new Generator(83));
        var grads = Autograd.Grad([y], [x, w], [g]);

        var (xs, ws, gs) = (x.ToArray<double>(), w.ToArray<double>(), g.ToArray<double>());
        var expectedY = new double[y.Numel];
        var expectedGx = new double[x.Numel];
        var expectedGw = new double[w.Numel];
        for (var n = 0; n < batch; n++)
        {
            for (var o = 0; o < O; o++)
            {
                for (var i = 0; i < oh; i++)
                {
                    for (var j = 0; j < ow; j++)
                    {
                        var yIndex = (((((n * O) + o) * oh) + i) * ow) + j;
                        for (var c = 0; c < C; c++)
                        {
                            for (var kh = 0; kh < K; kh++)
                            {
                                for (var kw = 0; kw < K; kw++)
                                {
                                    var (r, q) = ((i * S) - P + kh, (j * S) - P + kw);
                                    if (r < 0 || r >= H || q < 0 || q >= W)
                                    {
                                        continue;
                                    }

                                    var xIndex = (((((n * C) + c) * H) + r) * W) + q;
                                    var wIndex = (((((o * C) + c) * K) + kh) * K) + kw;
                                    expectedY[yIndex] += xs[xIndex] * ws[wIndex];
                                    expectedGx[xIndex] += gs[yIndex] * ws[wIndex];
                                    expectedGw[wIndex] += gs[yIndex] * xs[xIndex];
                                }
                            }
                        }
                    }
                }
            }
        }

        AssertClose(expectedY, y, 1e-12);
        AssertClose(expectedGx, grads[0]!, 1e-12);
        AssertClose(expectedGw, grads[1]!, 1e-11);
    }
}
