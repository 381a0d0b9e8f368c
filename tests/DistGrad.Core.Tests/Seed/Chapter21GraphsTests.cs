namespace DistGrad.Tests.Seed;

/// <summary>Seed chapter 2.1, "Computational Graphs in PyTorch": every example, with PyTorch 1.13's printed values.</summary>
public class Chapter21GraphsTests
{
    [Fact]
    public void Section2_AnatomyOfAGraph_ForwardValue()
    {
        var x = Tensor.Scalar(3f, requiresGrad: true);
        var y = Tensor.Scalar(4f, requiresGrad: true);
        var z = (x + y) * (y - 2);

        Assert.Equal("tensor(14., grad_fn=<MulBackward0>)", z.ToString());
        Assert.Equal("tensor(3., requires_grad=True)", x.ToString());
    }

    [Fact]
    public void Section3_InspectingTheGraph()
    {
        var x = Tensor.Scalar(3f, requiresGrad: true);
        var y = Tensor.Scalar(4f, requiresGrad: true);
        var z = (x + y) * (y - 2);

        Assert.Equal("<MulBackward0>", z.GradFn!.ToString());
        Assert.Equal("MulBackward0", z.GradFn.Name);
        var next = z.GradFn.NextFunctions;
        Assert.Equal(2, next.Count);
        Assert.Equal("AddBackward0", next[0].Node!.Name);
        Assert.Equal(0, next[0].InputNr);
        Assert.Equal("SubBackward0", next[1].Node!.Name);
        Assert.Equal(0, next[1].InputNr);

        // One level further, as PyTorch prints: add → (AccumulateGrad, AccumulateGrad); sub → (AccumulateGrad, None).
        Assert.Equal(["AccumulateGrad", "AccumulateGrad"], next[0].Node!.NextFunctions.Select(e => e.Node!.Name));
        Assert.Equal("AccumulateGrad", next[1].Node!.NextFunctions[0].Node!.Name);
        Assert.Null(next[1].Node!.NextFunctions[1].Node);
        Assert.Same(x, ((AccumulateGrad)next[0].Node!.NextFunctions[0].Node!).Variable);
    }

    [Fact]
    public void Section4_LeavesAndOperations()
    {
        var x = Tensor.Scalar(3f, requiresGrad: true);
        var y = Tensor.Scalar(4f, requiresGrad: true);
        var z = (x + y) * (y - 2);

        Assert.True(x.IsLeaf);
        Assert.True(y.IsLeaf);
        Assert.False(z.IsLeaf);
        Assert.Null(x.GradFn);
        Assert.True(z.RequiresGrad);
        Assert.Equal("AddBackward0", (x + y).GradFn!.Name);
        Assert.Equal("SubBackward0", (y - 2).GradFn!.Name);
    }

    [Fact]
    public void Section5_BackwardPass()
    {
        var x = Tensor.Scalar(3f, requiresGrad: true);
        var y = Tensor.Scalar(4f, requiresGrad: true);
        var z = (x + y) * (y - 2);
        Assert.Null(x.Grad);

        z.Backward();

        Assert.Equal("tensor(2.)", x.Grad!.ToString());
        Assert.Equal("tensor(9.)", y.Grad!.ToString());
    }

    [Fact]
    public void Section6_RetainGraph()
    {
        var x = Tensor.Scalar(3f, requiresGrad: true);
        var y = Tensor.Scalar(4f, requiresGrad: true);
        var z = (x + y) * (y - 2);

        z.Backward(retainGraph: true);
        z.Backward();

        Assert.Equal("tensor(4.)", x.Grad!.ToString());
        Assert.Equal("tensor(18.)", y.Grad!.ToString());
        var error = Assert.Throws<InvalidOperationException>(() => z.Backward());
        Assert.Contains("Trying to backward through the graph a second time", error.Message);
        Assert.Contains("retainGraph: true", error.Message);
    }

    [Fact]
    public void Section7A_NonScalarOutputs()
    {
        var v = Tensor.From(new[] { 1f, 2f }, requiresGrad: true);
        var output = v * 2;
        output.Backward(gradient: Tensor.From(new[] { 0.1f, 0.5f }));

        Assert.Equal("tensor([0.2000, 1.0000])", v.Grad!.ToString());
    }

    [Fact]
    public void Section7B_DetachingTensors()
    {
        var x = Tensor.Scalar(3f, requiresGrad: true);
        var detached = x.Detach();

        Assert.False(detached.RequiresGrad);
        Assert.Null(detached.GradFn);
        Assert.Equal("tensor(3.)", detached.ToString());

        // Shares storage: a change through the detached tensor shows in x.
        detached.AddInPlace(1);
        Assert.Equal(4.0, x.Item());
    }

    [Fact]
    public void KeyTakeaways_NoGradBypassesAutograd()
    {
        var x = Tensor.Scalar(3f, requiresGrad: true);
        Tensor y;
        using (Autograd.NoGrad())
        {
            y = x * 2;
        }

        Assert.False(y.RequiresGrad);
        Assert.Null(y.GradFn);
        Assert.Equal("tensor(6.)", y.ToString());
    }
}
