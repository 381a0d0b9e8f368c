namespace DistGrad.Tests.Seed;

/// <summary>Seed chapter 2.2, "requires_grad and Gradient Calculation": every example, with PyTorch 1.13's values.</summary>
public class Chapter22RequiresGradTests
{
    [Fact]
    public void Section1_RequiresGradFlagIsInherited()
    {
        var x = Tensor.Scalar(2.0f, requiresGrad: true);
        var y = Tensor.Scalar(3.0f);
        var z = x * y;

        Assert.True(z.RequiresGrad);
        Assert.False(y.RequiresGrad);
        Assert.Equal("tensor(6., grad_fn=<MulBackward0>)", z.ToString());
    }

    [Fact]
    public void Section2A_ForwardPassBuildsTheGraph()
    {
        var a = Tensor.Scalar(1.0f, requiresGrad: true);
        var b = Tensor.Scalar(2.0f, requiresGrad: true);
        var c = a * b;
        var d = c + 1;

        Assert.Equal("<MulBackward0>", c.GradFn!.ToString());
        Assert.Equal("<AddBackward0>", d.GradFn!.ToString());
        Assert.Same(c.GradFn, d.GradFn.NextFunctions[0].Node);
        Assert.Null(d.GradFn.NextFunctions[1].Node);
    }

    [Fact]
    public void Section2B_BackwardPassComputesGradients()
    {
        var a = Tensor.Scalar(1.0f, requiresGrad: true);
        var b = Tensor.Scalar(2.0f, requiresGrad: true);
        var d = (a * b) + 1;

        d.Backward();

        Assert.Equal("tensor(2.)", a.Grad!.ToString());
        Assert.Equal("tensor(1.)", b.Grad!.ToString());
    }

    [Fact]
    public void Section3A_Method1_NoGradContext()
    {
        var weight = Tensor.Scalar(2f, requiresGrad: true);
        var inputs = Tensor.From(new[] { 1f, 2f });
        Tensor inference;
        using (Autograd.NoGrad())
        {
            inference = inputs * weight;
        }

        Assert.False(inference.RequiresGrad);
        Assert.Null(inference.GradFn);
        Assert.True(Autograd.IsGradEnabled);
    }

    [Fact]
    public void Section3A_Method2_DisableGlobally()
    {
        var x = Tensor.Scalar(2f, requiresGrad: true);
        try
        {
            Autograd.SetGradEnabled(false);
            Assert.False(Autograd.IsGradEnabled);
            Assert.False((x * 2).RequiresGrad);
        }
        finally
        {
            Autograd.SetGradEnabled(true);
        }

        Assert.True((x * 2).RequiresGrad);
    }

    [Fact]
    public void Section3A_Method3_DetachTensors()
    {
        var x = Tensor.Scalar(2f, requiresGrad: true);
        var z = x * 3;
        var detached = z.Detach();

        Assert.False(detached.RequiresGrad);
        Assert.Null(detached.GradFn);
        Assert.Equal("tensor(6.)", detached.ToString());
    }

    [Fact]
    public void Section3B_FreezingParameters()
    {
        var w = Tensor.From(new[] { 1f, 2f }, requiresGrad: true);
        var b = Tensor.Scalar(0.5f, requiresGrad: true);
        var head = Tensor.Scalar(2f, requiresGrad: true);
        foreach (var param in new[] { w, b })
        {
            param.SetRequiresGrad(false);
        }

        var x = Tensor.From(new[] { 3f, 4f });
        var loss = (((x * w).Sum() + b) * head) + head;
        loss.Backward();

        Assert.Null(w.Grad);
        Assert.Null(b.Grad);
        Assert.Equal("tensor(12.5000)", head.Grad!.ToString());
    }

    [Fact]
    public void Section4A_ManualGradientControlAccumulates()
    {
        // loss1 and loss2 each backpropagate; the gradients add up until zeroed.
        var w = Tensor.Scalar(1.5f, requiresGrad: true);
        var loss1 = (w * 2).Pow(2);          // d/dw = 8w = 12
        loss1.Backward();
        Assert.Equal(12.0, w.Grad!.Item(), 5);

        var loss2 = w * 3;                   // d/dw = 3
        loss2.Backward();
        Assert.Equal(15.0, w.Grad!.Item(), 5);
    }

    [Fact]
    public void Section4B_GradientAccumulationForLargeBatches()
    {
        // Four micro-batches with the loss divided by 4 give the full batch's gradient.
        var xs = new[] { 1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f };
        var ys = new[] { 2f, 4f, 6f, 8f, 10f, 12f, 14f, 16f };
        var w = Tensor.Scalar(0.5f, requiresGrad: true);
        const int accumulationSteps = 4;
        for (var i = 0; i < accumulationSteps; i++)
        {
            var inputs = Tensor.From(xs[(i * 2)..((i * 2) + 2)]);
            var targets = Tensor.From(ys[(i * 2)..((i * 2) + 2)]);
            var loss = ((inputs * w) - targets).Pow(2).Mean() / accumulationSteps;
            loss.Backward();
        }

        Assert.Equal("tensor(-76.5000)", w.Grad!.ToString());

        // The same gradient in one pass over the whole batch.
        var whole = Tensor.Scalar(0.5f, requiresGrad: true);
        ((Tensor.From(xs) * whole) - Tensor.From(ys)).Pow(2).Mean().Backward();
        Assert.Equal(whole.Grad!.Item(), w.Grad.Item(), 4);
    }

    [Fact]
    public void Section5A_CheckingGradientFlow()
    {
        var parameters = new[] { Tensor.Scalar(1f, requiresGrad: true), Tensor.Scalar(2f) };
        Assert.Equal([true, false], parameters.Select(p => p.RequiresGrad));

        var x = parameters[0] * parameters[1];
        Assert.Equal("<MulBackward0>", x.GradFn!.ToString());
    }

    [Fact]
    public void Section5B_CommonProblems()
    {
        // "element 0 of tensors does not require grad": backward on something that tracks nothing.
        var notTracked = Tensor.Scalar(1f) * 2;
        var error = Assert.Throws<InvalidOperationException>(() => notTracked.Backward());
        Assert.Equal("element 0 of tensors does not require grad and does not have a grad_fn", error.Message);

        // "Gradients are None": before backward.
        var w = Tensor.Scalar(1f, requiresGrad: true);
        var loss = w * 2;
        Assert.Null(w.Grad);
        loss.Backward();
        Assert.NotNull(w.Grad);

        // Unexpected zero gradients: a detached path contributes nothing.
        var v = Tensor.Scalar(2f, requiresGrad: true);
        var y = (v.Detach() * 3) + v;
        y.Backward();
        Assert.Equal("tensor(1.)", v.Grad!.ToString());
    }

    [Fact]
    public void Section5C_GradientChecking()
    {
        var input = Tensor.Randn([3], dtype: DType.Float64, requiresGrad: true, generator: new Generator(seed: 0));
        var test = GradCheck.Check(MyCustomFunction, input);
        Assert.True(test);
    }

    // A smooth function built from DistGrad ops (the seed's MyCustomFunction.apply stands for any function).
    private static Tensor MyCustomFunction(Tensor x) => (x.Sigmoid() * x) + x.Tanh().Pow(2);

    [Fact]
    public void Section6_GradientHooks()
    {
        var printed = new List<string>();
        Tensor? GradientHook(Tensor grad)
        {
            printed.Add($"Gradient shape: {Shapes.Format(grad.Shape)}");
            return grad * 2;
        }

        var x = Tensor.From(new[] { 1f, 2f, 3f }, requiresGrad: true);
        var y = x.Pow(2);
        var h = y.RegisterHook(GradientHook);
        y.Backward(Tensor.Ones([3]));
        h.Remove();

        Assert.Equal(["Gradient shape: [3]"], printed);
        Assert.Equal("tensor([ 4.,  8., 12.])", x.Grad!.ToString());

        // Removed: a second backward is not doubled (PyTorch: grad grows by 2x → [6., 12., 18.]).
        x.Pow(2).Backward(Tensor.Ones([3]));
        Assert.Equal("tensor([ 6., 12., 18.])", x.Grad!.ToString());
        Assert.Single(printed);
    }
}
