namespace DistGrad.Tests.Api;

/// <summary>
/// The snippets of docs/API.md's "Tensors", "Graph and gradients" and "Grad mode" sections, as written,
/// with the values PyTorch 1.13 prints for the same program.
/// </summary>
public class ApiContractTests
{
    [Fact]
    public void TensorsSection()
    {
        var x = Tensor.Scalar(3f, requiresGrad: true);
        var v = Tensor.From(new[] { 1f, 2f }, requiresGrad: true);
        var m = Tensor.From(new float[,] { { 1, 2 }, { 3, 4 } });
        var labels = Tensor.From(new long[] { 3, 0, 7 });
        var d = Tensor.Randn([3], dtype: DType.Float64, requiresGrad: true, generator: new Generator(seed: 0));
        Assert.Equal("tensor([[1., 2.],\n        [3., 4.]])", Tensor.From(new float[,] { { 1, 2 }, { 3, 4 } }).ToString());
        Assert.Equal("tensor([[0., 0., 0.],\n        [0., 0., 0.]])", Tensor.Zeros([2, 3]).ToString());
        Assert.Equal("tensor([1., 1., 1., 1.])", Tensor.Ones([4]).ToString());
        Assert.Equal("tensor([0.5000, 0.5000])", Tensor.Full([2], 0.5f).ToString());
        Assert.Equal("tensor([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])", Tensor.Arange(0, 10).ToString());
        Assert.Equal("tensor(1.)", Tensor.OnesLike(x).ToString());
        Assert.Equal("tensor(0.)", Tensor.ZerosLike(x).ToString());
        Assert.Equal([], Tensor.RandnLike(x).Shape);

        Assert.Equal([], x.Shape);
        Assert.Equal([2, 2], m.Shape);
        Assert.Equal(DType.Float32, x.DType);
        Assert.Equal(DType.Int64, labels.DType);
        Assert.Equal(DType.Float64, d.DType);
        Assert.Equal(DType.Float64, Tensor.From(new[] { 1.0, 2.0 }).DType);
        Assert.Equal(DType.Bool, Tensor.From(new[] { true, false }).DType);
        Assert.Equal(Device.Cpu, x.Device);
        Assert.Equal("cuda:0", Device.Cuda(0).ToString());
        Assert.Equal(3.0, x.Item());
        Assert.Throws<InvalidOperationException>(() => v.Item());
        Assert.Equal([1f, 2f], v.ToArray<float>());
        Assert.Equal("tensor(3., requires_grad=True)", x.ToString());
        Assert.Equal("tensor([1., 2.], requires_grad=True)", v.ToString());
        Assert.Equal("tensor([3, 0, 7])", labels.ToString());
    }

    [Fact]
    public void OperatorsAndPromotion()
    {
        var input = Tensor.From(new[] { -1f, 0f, 2f });
        var mask = input < 0;
        Assert.Equal(DType.Bool, mask.DType);
        Assert.Equal("tensor([ True, False, False])", mask.ToString());
        Assert.Equal("tensor([False,  True,  True])", (input >= 0).ToString());
        Assert.Equal("tensor([False, False,  True])", (0.5 < input).ToString());
        Assert.Equal("tensor([1., 0., 0.])", mask.Float().ToString());
        Assert.Equal("tensor([-1.,  0.,  2.], dtype=torch.float64)", input.Double().ToString());

        Assert.Equal("tensor([-3., -2.,  0.])", (input - 2f).ToString());
        Assert.Equal("tensor([3., 2., 0.])", (2 - input).ToString());
        Assert.Equal("tensor([-0.5000,  0.0000,  1.0000])", (input / 2.0).ToString());
        Assert.Equal("tensor([-2.,  0.,  4.])", (2 * input).ToString());
        Assert.Equal("tensor([ 1., -0., -2.])", (-input).ToString());

        // Float32 with Float64 gives Float64; a scalar never promotes a tensor's dtype.
        Assert.Equal(DType.Float64, (input + Tensor.From(new[] { 1.0, 1.0, 1.0 })).DType);
        Assert.Equal(DType.Float32, (input * 2.5).DType);
        Assert.Equal(DType.Float32, (Tensor.From(new long[] { 1, 2 }) * 2.5).DType);
        Assert.Equal(DType.Int64, (Tensor.From(new long[] { 1, 2 }) * 2).DType);

        // Negative dims count from the end.
        Assert.Equal([2], Tensor.Ones([2, 3]).Sum(-1).Shape);
    }

    [Fact]
    public void InPlaceMethodsAndTheMaskIndexer()
    {
        var t = Tensor.From(new[] { 1f, -2f, 3f });
        t.MulInPlace(2).AddInPlace(Tensor.Ones([3])).SubInPlace(1).DivInPlace(2f);
        Assert.Equal("tensor([ 1., -2.,  3.])", t.ToString());
        t.ClampInPlace(min: -1, max: 2);
        Assert.Equal("tensor([ 1., -1.,  2.])", t.ToString());

        var gradInput = Tensor.From(new[] { 0.5f, 0.25f, 1f });
        var input = Tensor.From(new[] { -1f, 2f, -3f });
        gradInput[input < 0] = 0f;
        Assert.Equal("tensor([0.0000, 0.2500, 0.0000])", gradInput.ToString());
        Assert.Equal("tensor([-1., -3.])", input[input < 0].ToString());

        t.CopyFrom(Tensor.From(new[] { 7.0, 8.0, 9.0 }));
        Assert.Equal("tensor([7., 8., 9.])", t.ToString());
        t.FillInPlace(4);
        Assert.Equal("tensor([4., 4., 4.])", t.ToString());
        t.ZeroInPlace();
        Assert.Equal("tensor([0., 0., 0.])", t.ToString());
        Assert.Equal(8, t.Version);

        var leaf = Tensor.Ones([2], requiresGrad: true);
        Assert.Throws<InvalidOperationException>(() => leaf.MulInPlace(2));
        using (Autograd.NoGrad())
        {
            leaf.MulInPlace(2);
        }

        Assert.Equal([2f, 2f], leaf.ToArray<float>());
    }

    [Fact]
    public void GraphAndGradientsSection()
    {
        var x = Tensor.Scalar(3f, requiresGrad: true);
        var v = Tensor.From(new[] { 1f, 2f }, requiresGrad: true);
        var y = Tensor.Scalar(4f, requiresGrad: true);
        var z = (x + y) * (y - 2);
        Assert.Equal("<MulBackward0>", z.GradFn!.ToString());
        Assert.Equal("MulBackward0", z.GradFn.Name);
        IReadOnlyList<(Node? Node, int InputNr)> next = z.GradFn.NextFunctions;
        Assert.Equal([("AddBackward0", 0), ("SubBackward0", 0)], next.Select(e => (e.Node!.Name, e.InputNr)));
        Assert.True(x.IsLeaf);
        Assert.False(z.IsLeaf);
        Assert.Null(x.GradFn);
        Assert.True(z.RequiresGrad);

        z.Backward();
        Tensor? xGrad = x.Grad;
        Assert.Equal("tensor(2.)", xGrad!.ToString());
        Assert.Equal("tensor(9.)", y.Grad!.ToString());

        var o = v * 2;
        o.Backward(gradient: Tensor.From(new[] { 0.1f, 0.5f }));
        Assert.Equal("tensor([0.2000, 1.0000])", v.Grad!.ToString());
    }

    [Fact]
    public void NodeNamesFollowPyTorch()
    {
        var a = Tensor.From(new[] { 1f, 2f }, requiresGrad: true);
        var m = Tensor.From(new float[,] { { 1, 2 }, { 3, 4 } }, requiresGrad: true);
        var names = new (Tensor Tensor, string Name)[]
        {
            (a + a, "AddBackward0"), (a - a, "SubBackward0"), (a * a, "MulBackward0"), (a / a, "DivBackward0"),
            (a.Pow(2), "PowBackward0"), (a.Pow(a), "PowBackward1"), (a.Exp(), "ExpBackward0"), (a.Log(), "LogBackward0"),
            (a.Tanh(), "TanhBackward0"), (a.Sum(), "SumBackward0"), (a.Sum(0), "SumBackward1"), (a.Mean(), "MeanBackward0"),
            (m.Mean(0), "MeanBackward1"), (m.Mm(m), "MmBackward0"), (m.MatMul(a), "MvBackward0"), (a.MatMul(a), "DotBackward0"),
            (a.Relu(), "ReluBackward0"), (-a, "NegBackward0"), (a.Sigmoid(), "SigmoidBackward0"), (m.Softmax(1), "SoftmaxBackward0"),
            (m.LogSoftmax(1), "LogSoftmaxBackward0"), (a.Sqrt(), "SqrtBackward0"), (a.Abs(), "AbsBackward0"),
            (a.Clamp(min: 0), "ClampBackward1"), (a.Max(), "MaxBackward1"), (a.Norm(), "NormBackward1"),
            (m.Transpose(0, 1), "TransposeBackward0"), (m.T, "PermuteBackward0"), (m.View(4), "ViewBackward0"),
            (m.Unsqueeze(0), "UnsqueezeBackward0"), (m.Unsqueeze(0).Squeeze(0), "SqueezeBackward1"),
            (m.Unsqueeze(0).Squeeze(), "SqueezeBackward0"), (a.Expand(3, 2), "ExpandBackward0"), (m[0], "SelectBackward0"),
            (m[0..1], "SliceBackward0"), (Tensor.Cat([a, a]), "CatBackward0"), (Tensor.Stack([a, a]), "StackBackward0"),
            (a.Clone(), "CloneBackward0"), (a.Double(), "ToCopyBackward0"), (m.T.Reshape(4), "UnsafeViewBackward0"),
            (2 - a, "RsubBackward1"), (a[a > 1], "IndexBackward0"),
        };
        foreach (var (tensor, name) in names)
        {
            Assert.Equal(name, tensor.GradFn!.Name);
        }
    }

    [Fact]
    public void GradModeSection()
    {
        var x = Tensor.Scalar(3f, requiresGrad: true);
        using (Autograd.NoGrad())
        {
            var w = x * 2;
            Assert.False(w.RequiresGrad);
        }

        using (Autograd.EnableGrad())
        {
            Assert.True((x * 2).RequiresGrad);
        }

        Autograd.SetGradEnabled(false);
        Assert.False(Autograd.IsGradEnabled);
        Autograd.SetGradEnabled(true);
        Assert.True(Autograd.IsGradEnabled);
    }

    [Fact]
    public void DetectAnomalyNamesTheNodeAndTheForwardCallSite()
    {
        // PyTorch: "Function 'DivBackward0' returned nan values in its 1th output." (d(x/x)/d(denominator) at 0 is 0/0).
        var x = Tensor.From(new[] { 0f, 1f }, requiresGrad: true);
        InvalidOperationException error;
        using (Autograd.DetectAnomaly())
        {
            var y = x / x;
            error = Assert.Throws<InvalidOperationException>(() => y.Sum().Backward());
        }

        Assert.StartsWith("Function 'DivBackward0' returned nan values in its 1th output.", error.Message);
        Assert.Contains(nameof(DetectAnomalyNamesTheNodeAndTheForwardCallSite), error.Message);
        Assert.Contains("ApiContractTests.cs:line", error.Message);

        // Without anomaly mode the same backward completes (with NaN), as in PyTorch.
        x.Grad = null;
        (x / x).Sum().Backward();
        Assert.True(x.Grad!.IsNan().Any().Item() != 0);
    }
}
