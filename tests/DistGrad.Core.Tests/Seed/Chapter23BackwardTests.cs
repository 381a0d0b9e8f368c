namespace DistGrad.Tests.Seed;

/// <summary>Seed chapter 2.3, "backward() and Gradient Flow": every example, with PyTorch 1.13's values.</summary>
public class Chapter23BackwardTests
{
    [Fact]
    public void Section1_BackwardMethod()
    {
        var x = Tensor.Scalar(2.0f, requiresGrad: true);
        var y = x.Pow(3);
        Assert.Equal("tensor(8., grad_fn=<PowBackward0>)", y.ToString());

        y.Backward();

        Assert.Equal("tensor(12.)", x.Grad!.ToString());
    }

    [Fact]
    public void Section2A_ChainRuleInAction()
    {
        var x = Tensor.Scalar(3.0f, requiresGrad: true);
        var y = x.Pow(2);
        var z = y + 2;
        z.Backward();

        Assert.Equal("tensor(6.)", x.Grad!.ToString());
    }

    [Fact]
    public void Section2B_MultiplePaths()
    {
        var x = Tensor.Scalar(2.0f, requiresGrad: true);
        var a = x * 3;
        var b = x.Pow(2);
        var y = a + b;
        y.Backward();

        Assert.Equal("tensor(7.)", x.Grad!.ToString());
    }

    [Fact]
    public void Section3A_NonScalarOutputs()
    {
        var x = Tensor.From(new[] { 1f, 2f }, requiresGrad: true);
        var y = x * 2;
        Assert.Equal("tensor([2., 4.], grad_fn=<MulBackward0>)", y.ToString());

        y.Backward(gradient: Tensor.From(new[] { 0.1f, 0.5f }));

        Assert.Equal("tensor([0.2000, 1.0000])", x.Grad!.ToString());
    }

    [Fact]
    public void Section3A_NonScalarOutputWithoutGradientThrows()
    {
        var x = Tensor.From(new[] { 1f, 2f }, requiresGrad: true);
        var error = Assert.Throws<InvalidOperationException>(() => (x * 2).Backward());
        Assert.Equal("grad can be implicitly created only for scalar outputs", error.Message);
    }

    [Fact]
    public void Section3B_RetainingTheGraph()
    {
        var x = Tensor.Scalar(1.0f, requiresGrad: true);
        var y = x.Pow(2);
        y.Backward(retainGraph: true);
        y.Backward();

        Assert.Equal("tensor(4.)", x.Grad!.ToString());
    }

    [Fact]
    public void Section3C_DetachedTensors()
    {
        var x = Tensor.Scalar(2.0f, requiresGrad: true);
        var y = x.Detach();
        var z = y * 3;

        // PyTorch raises here: nothing on z's path requires grad.
        var error = Assert.Throws<InvalidOperationException>(() => z.Backward());
        Assert.Equal("element 0 of tensors does not require grad and does not have a grad_fn", error.Message);
        Assert.Null(x.Grad);
    }

    [Fact]
    public void Section4A_ManualAccumulation()
    {
        var x = Tensor.Scalar(1.0f, requiresGrad: true);
        for (var i = 0; i < 3; i++)
        {
            var y = x.Pow(2);
            y.Backward(retainGraph: true);
        }

        Assert.Equal("tensor(6.)", x.Grad!.ToString());
    }

    [Fact]
    public void Section4B_ZeroingGradients()
    {
        var x = Tensor.Scalar(1.0f, requiresGrad: true);
        x.Pow(2).Backward();
        Assert.Equal("tensor(2.)", x.Grad!.ToString());

        // What optimizer.zero_grad() does: set to none (default) or zero in place.
        x.Grad = null;
        x.Pow(2).Backward();
        Assert.Equal("tensor(2.)", x.Grad!.ToString());

        x.Grad.ZeroInPlace();
        x.Pow(2).Backward();
        Assert.Equal("tensor(2.)", x.Grad!.ToString());
    }

    [Fact]
    public void Section5A_GradientChecking()
    {
        var input = Tensor.Randn([3], dtype: DType.Float64, requiresGrad: true, generator: new Generator(seed: 0));
        var test = GradCheck.Check(MyCustomFunction, input);
        Assert.True(test);
    }

    private static Tensor MyCustomFunction(Tensor x) => x.Exp() * x.Pow(2) / (1 + x.Pow(2));

    [Fact]
    public void Section5B_TheGraphThatMakeDotDraws()
    {
        // make_dot(y, params={'x': x}) draws x → Pow → Add → y and x → Mul → Add; this is that graph.
        var x = Tensor.Scalar(3.0f, requiresGrad: true);
        var y = x.Pow(2) + (2 * x);
        Assert.Equal("tensor(15., grad_fn=<AddBackward0>)", y.ToString());

        var add = y.GradFn!;
        Assert.Equal(["PowBackward0", "MulBackward0"], add.NextFunctions.Select(e => e.Node!.Name));
        var mul = add.NextFunctions[1].Node!;
        Assert.Equal("AccumulateGrad", mul.NextFunctions[0].Node!.Name);
        Assert.Null(mul.NextFunctions[1].Node);
        Assert.Same(mul.NextFunctions[0].Node, add.NextFunctions[0].Node!.NextFunctions[0].Node);
    }

    [Fact]
    public void Section6A_MemoryEfficiencyNoGrad()
    {
        var weight = Tensor.Ones([2, 2], requiresGrad: true);
        var inputs = Tensor.Ones([3, 2]);
        Tensor inference;
        using (Autograd.NoGrad())
        {
            inference = inputs.MatMul(weight);
        }

        Assert.False(inference.RequiresGrad);
        Assert.Equal("tensor([[2., 2.],\n        [2., 2.],\n        [2., 2.]])", inference.ToString());
    }

    [Fact]
    public void TryThis_PowerOfAPower()
    {
        var x = Tensor.Scalar(1.0f, requiresGrad: true);
        var y = x.Pow(3);
        var z = y.Pow(2);
        z.Backward();

        Assert.Equal("tensor(6.)", x.Grad!.ToString());
    }
}
