using DistGrad.Nn;

namespace DistGrad.Tests.Nn;

/// <summary>
/// Cross-entropy over [N, C] records PyTorch's two nodes (NllLossBackward0 after LogSoftmaxBackward0), whose
/// first-order rules run as fused kernels and whose recorded rules (createGraph) give second derivatives.
/// Expected values are PyTorch 1.13's for the same Float64 inputs, with target 1 of 3 ignored.
/// </summary>
public sealed class CrossEntropyGraphTests
{
    public static TheoryData<string, double[], double[], double[]> Cases => new()
    {
        {
            "mean", [0.6121983451077506],
            [0.07205142064999241, 0.012520659497556017, -0.17708793557059865, 0.09251585542305024, 0, 0, 0, 0, 0.03954500802167291, -0.2724341910158129, 0.09486354274292187, 0.1380256402512181],
            [0.022855339941420427, 0.0024809337704811106, -0.05846968048128119, 0.03313340676937966, 0, 0, 0, 0, 0.008249916637652557, -0.09451660527054873, 0.03028594556536285, 0.05598074306753332]
        },
        {
            "sum", [1.2243966902155012],
            [0.14410284129998482, 0.025041318995112034, -0.3541758711411973, 0.18503171084610048, 0, 0, 0, 0, 0.07909001604334583, -0.5448683820316258, 0.18972708548584374, 0.2760512805024362],
            [0.0914213597656817, 0.009923735081924442, -0.23387872192512477, 0.13253362707751865, 0, 0, 0, 0, 0.03299966655061023, -0.3780664210821949, 0.1211437822614514, 0.22392297227013327]
        },
        {
            "none", [0.43722805861390257, 0, 0.7871686316015987],
            [0.14410284129998482, 0.025041318995112034, -0.3541758711411973, 0.18503171084610048, 0, 0, 0, 0, 0.07909001604334583, -0.5448683820316258, 0.18972708548584374, 0.2760512805024362],
            [0.0914213597656817, 0.009923735081924442, -0.23387872192512477, 0.13253362707751865, 0, 0, 0, 0, 0.03299966655061023, -0.3780664210821949, 0.1211437822614514, 0.22392297227013327]
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesPyTorchToSecondOrder(string reduction, double[] loss, double[] grad, double[] gradGrad)
    {
        var x = Logits();
        var target = Tensor.From(new long[] { 2, -100, 1 });
        var output = Functional.CrossEntropy(x, target, reduction);
        Assert.Equal("NllLossBackward0", output.GradFn!.Name);
        Assert.Equal("LogSoftmaxBackward0", output.GradFn.NextFunctions[0].Node!.Name);
        Close(loss, output);

        // First order through Backward: the fused kernels.
        output.Sum().Backward();
        Close(grad, x.Grad!);

        // Second order: the recorded rules.
        var y = Logits();
        var g = Autograd.Grad(Functional.CrossEntropy(y, target, reduction).Sum(), y, createGraph: true)!;
        Close(grad, g);
        Close(gradGrad, Autograd.Grad((g * g).Sum(), y)!);
    }

    [Fact]
    public void SoftmaxBackwardKernelMatchesTheRuleAlongAnyDim()
    {
        foreach (var dim in new[] { 0, 1 })
        {
            foreach (var log in new[] { false, true })
            {
                var x = Logits();
                var weights = Tensor.From(new[] { 0.5, -1.0, 2.0, 0.25, 1.5, -0.75, 0.125, 3.0, -2.0, 1.0, 0.5, -0.25 }).Reshape(3, 4);
                var y = log ? x.LogSoftmax(dim) : x.Softmax(dim);
                (y * weights).Sum().Backward();

                // The same rule written out: softmax s, upstream gradient w.
                using var noGrad = Autograd.NoGrad();
                var s = x.Detach().Softmax(dim);
                var expected = log ? weights - (s * weights.Sum(dim, keepDim: true)) : s * (weights - (weights * s).Sum(dim, keepDim: true));
                Close(expected.ToArray<double>(), x.Grad!);
            }
        }
    }

    private static Tensor Logits() =>
        Tensor.From(new[,] { { 0.5, -1.25, 2.0, 0.75 }, { 1.5, 0.25, -0.5, -2.0 }, { -0.75, 1.0, 0.125, 0.5 } }, requiresGrad: true);

    private static void Close(double[] expected, Tensor actual)
    {
        var values = actual.ToArray<double>();
        Assert.Equal(expected.Length, values.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - values[i]) <= 1e-12, $"element {i}: expected {expected[i]:R}, got {values[i]:R}");
        }
    }
}
