namespace DistGrad.Tests.Engine;

/// <summary>The engine's semantics, with expected values from PyTorch 1.13 or from the math.</summary>
public class EngineTests
{
    [Fact]
    public void HigherOrderGradientsOfXCubed()
    {
        // d/dx x³ = 3x² = 12, d²/dx² = 6x = 12, d³/dx³ = 6 at x = 2.
        var x = Tensor.Scalar(2f, requiresGrad: true);
        var y = x.Pow(3);
        var g = Autograd.Grad(y, x, createGraph: true)!;
        Assert.Equal("tensor(12., grad_fn=<MulBackward0>)", g.ToString());
        var g2 = Autograd.Grad(g, x, createGraph: true)!;
        Assert.Equal(12.0, g2.Item());
        var g3 = Autograd.Grad(g2, x)!;
        Assert.Equal("tensor(6.)", g3.ToString());
        Assert.Null(x.Grad);
    }

    [Fact]
    public void SecondDerivativeThroughBackwardWithCreateGraph()
    {
        var x = Tensor.From(new[] { 1f, 2f, 3f }, requiresGrad: true);
        x.Pow(3).Sum().Backward(createGraph: true);
        var firstGrad = x.Grad!;
        Assert.True(firstGrad.RequiresGrad);
        x.Grad = null;
        firstGrad.Sum().Backward();
        Assert.Equal([6f, 12f, 18f], x.Grad!.ToArray<float>());
    }

    [Fact]
    public void GradDoesNotTouchGradFields()
    {
        var a = Tensor.From(new[] { 1f, 2f }, requiresGrad: true);
        var b = Tensor.From(new[] { 3f, 4f }, requiresGrad: true);
        var grads = Autograd.Grad([(a * b).Sum()], [a, b]);
        Assert.Equal([3f, 4f], grads[0]!.ToArray<float>());
        Assert.Equal([1f, 2f], grads[1]!.ToArray<float>());
        Assert.Null(a.Grad);
        Assert.Null(b.Grad);
    }

    [Fact]
    public void GradWithAllowUnusedReturnsNull()
    {
        var a = Tensor.From(new[] { 1f, 2f }, requiresGrad: true);
        var unused = Tensor.Ones([2], requiresGrad: true);
        var grads = Autograd.Grad([(a * 2).Sum()], [a, unused], allowUnused: true);
        Assert.Equal([2f, 2f], grads[0]!.ToArray<float>());
        Assert.Null(grads[1]);
    }

    [Fact]
    public void GradOfANonLeafInput()
    {
        var x = Tensor.From(new[] { 1f, 2f }, requiresGrad: true);
        var y = x * 2;
        var z = (y * y).Sum();
        var gy = Autograd.Grad(z, y)!;
        Assert.Equal([4f, 8f], gy.ToArray<float>());
        Assert.Null(x.Grad);
    }

    [Fact]
    public void BackwardWithInputsAccumulatesOnlyIntoThem()
    {
        // PyTorch: (a*b).sum().backward(inputs=[a]) → a.grad [3., 4.], b.grad None.
        var a = Tensor.From(new[] { 1f, 2f }, requiresGrad: true);
        var b = Tensor.From(new[] { 3f, 4f }, requiresGrad: true);
        (a * b).Sum().Backward(inputs: [a]);
        Assert.Equal("tensor([3., 4.])", a.Grad!.ToString());
        Assert.Null(b.Grad);

        // A non-leaf input gets its Grad filled (PyTorch: y.grad [4., 8.], x.grad None).
        var x = Tensor.From(new[] { 1f, 2f }, requiresGrad: true);
        var y = x * 2;
        (y * y).Sum().Backward(inputs: [y]);
        Assert.Equal("tensor([4., 8.])", y.Grad!.ToString());
        Assert.Null(x.Grad);
    }

    [Fact]
    public void GradientsSumOverManyPaths()
    {
        // y = x + 2x + 3x + ... + 10x, built as a diamond-heavy graph: dy/dx = 55.
        var x = Tensor.Scalar(1f, requiresGrad: true);
        var terms = Enumerable.Range(1, 10).Select(k => x * k).ToList();
        var y = terms.Aggregate((acc, t) => acc + t);
        y.Backward();
        Assert.Equal(55.0, x.Grad!.Item());
    }

    [Fact]
    public void DeepChainsDoNotOverflowTheStack()
    {
        var x = Tensor.Scalar(1f, requiresGrad: true);
        var y = x;
        for (var i = 0; i < 20000; i++)
        {
            y = y * 1;
        }

        y.Backward();
        Assert.Equal(1.0, x.Grad!.Item());
    }

    [Fact]
    public void RetainGradKeepsANonLeafGradient()
    {
        var x = Tensor.From(new[] { 1f, 2f }, requiresGrad: true);
        var y = x * 3;
        var z = x * 4;
        y.RetainGrad();
        ((y * y).Sum() + z.Sum()).Backward();
        Assert.Equal([6f, 12f], y.Grad!.ToArray<float>());
        Assert.Null(z.Grad);
        Assert.True(y.RetainsGrad);
    }

    [Fact]
    public void RetainGradAndTensorHooksRunInRegistrationOrder()
    {
        // PyTorch 1.13: retain_grad() then a doubling hook → y.grad [1., 1.]; the other order → [2., 2.].
        var x = Tensor.From(new[] { 1f, 2f }, requiresGrad: true);
        var y = x * 3;
        y.RetainGrad();
        y.RegisterHook(g => g * 2);
        y.Sum().Backward();
        Assert.Equal("tensor([1., 1.])", y.Grad!.ToString());
        Assert.Equal("tensor([6., 6.])", x.Grad!.ToString());

        var x2 = Tensor.From(new[] { 1f, 2f }, requiresGrad: true);
        var y2 = x2 * 3;
        y2.RegisterHook(g => g * 2);
        y2.RetainGrad();
        y2.Sum().Backward();
        Assert.Equal("tensor([2., 2.])", y2.Grad!.ToString());
    }

    [Fact]
    public void HookOrderMatchesPyTorch()
    {
        // PyTorch 1.13 prints ['node-pre', 'tensor', 'node-post', 'leaf'] for this registration order.
        var order = new List<string>();
        var x = Tensor.From(new[] { 1f, 2f }, requiresGrad: true);
        var y = x.Exp();
        y.GradFn!.RegisterPrehook(_ => { order.Add("node-pre"); return null; });
        y.RegisterHook(_ => { order.Add("tensor"); return null; });
        y.GradFn.RegisterHook((_, _) => { order.Add("node-post"); return null; });
        x.RegisterHook(_ => { order.Add("leaf"); return null; });
        y.Sum().Backward();
        Assert.Equal(["node-pre", "tensor", "node-post", "leaf"], order);
    }

    [Fact]
    public void LeafHookChangesWhatIsAccumulated()
    {
        var x = Tensor.From(new[] { 1f, 2f }, requiresGrad: true);
        using var handle = x.RegisterHook(g => g * 10);
        (x * 2).Sum().Backward();
        Assert.Equal([20f, 20f], x.Grad!.ToArray<float>());
    }

    [Fact]
    public void NodeHookSingleGradientForm()
    {
        var x = Tensor.From(new[] { 1f, 2f }, requiresGrad: true);
        var y = x.Exp();
        y.GradFn!.RegisterHook(g => g * 0.5);
        y.Sum().Backward();
        Assert.Equal(Math.Exp(1) / 2, x.Grad!.ToArray<float>()[0], 5);
    }

    [Fact]
    public void PostAccumulateGradHookSeesTheUpdatedGrad()
    {
        var p = Tensor.From(new[] { 1f, 2f }, requiresGrad: true);
        var seen = new List<float[]>();
        p.RegisterPostAccumulateGradHook(t => seen.Add(t.Grad!.ToArray<float>()));
        (p * 3).Sum().Backward();
        (p * 3).Sum().Backward();
        Assert.Equal([3f, 3f], seen[0]);
        Assert.Equal([6f, 6f], seen[1]);
    }

    [Fact]
    public void GradientsAccumulateInPlaceIntoAnExistingGrad()
    {
        // As in PyTorch, a reference to Grad taken earlier sees later accumulation.
        var x = Tensor.From(new[] { 1f, 2f }, requiresGrad: true);
        (x * 2).Sum().Backward();
        var earlier = x.Grad!;
        (x * 3).Sum().Backward();
        Assert.Same(earlier, x.Grad);
        Assert.Equal([5f, 5f], earlier.ToArray<float>());
    }

    [Fact]
    public void AUserGradientIsNotAliasedByGrad()
    {
        var v = Tensor.From(new[] { 1f, 2f }, requiresGrad: true);
        var seed = Tensor.From(new[] { 1f, 1f });
        (v + 0).Backward(seed);
        (v + 0).Backward(seed);
        Assert.Equal([1f, 1f], seed.ToArray<float>());
        Assert.Equal([2f, 2f], v.Grad!.ToArray<float>());
    }

    [Fact]
    public void RetainGraphDefaultsToCreateGraph()
    {
        var x = Tensor.Scalar(2f, requiresGrad: true);
        var y = x.Pow(2);
        y.Backward(createGraph: true);
        y.Backward(); // graph kept because createGraph implied retainGraph
        Assert.Equal(8.0, x.Grad!.Item());
    }

    [Fact]
    public void NodesWithoutSavedTensorsMayRunTwice()
    {
        // PyTorch frees only saved tensors: an add-only graph backpropagates again without retain_graph.
        var x = Tensor.Scalar(1f, requiresGrad: true);
        var y = x + 1;
        y.Backward();
        y.Backward();
        Assert.Equal(2.0, x.Grad!.Item());
    }

    [Fact]
    public void InPlaceOnANonLeafMovesItsHistory()
    {
        var x = Tensor.From(new[] { 1f, 2f }, requiresGrad: true);
        var y = x * 2;
        var mul = y.GradFn;
        y.AddInPlace(1);
        Assert.Equal("AddBackward0", y.GradFn!.Name);
        Assert.Same(mul, y.GradFn.NextFunctions[0].Node);
        Assert.Equal("tensor([3., 5.], grad_fn=<AddBackward0>)", y.ToString());
        y.Sum().Backward();
        Assert.Equal([2f, 2f], x.Grad!.ToArray<float>());
    }

    [Fact]
    public void InPlaceThroughAViewRebasesTheBase()
    {
        // PyTorch: y = x*1; y[0].mul_(3) → y tensor([3., 2., 3.], grad_fn=<CopySlices>), x.grad [3., 1., 1.].
        var x = Tensor.From(new[] { 1f, 2f, 3f }, requiresGrad: true);
        var y = x * 1;
        y[0].MulInPlace(3);
        Assert.Equal("tensor([3., 2., 3.], grad_fn=<CopySlices>)", y.ToString());
        y.Sum().Backward();
        Assert.Equal("tensor([3., 1., 1.])", x.Grad!.ToString());
    }

    [Fact]
    public void InPlaceThroughASliceWithATensorThatRequiresGrad()
    {
        // PyTorch: y = x*1; y[1:].mul_(w); (y*y).sum().backward() → x.grad [2., 100., 150.], w.grad 130.
        var x = Tensor.From(new[] { 1f, 2f, 3f }, requiresGrad: true);
        var w = Tensor.Scalar(5f, requiresGrad: true);
        var y = x * 1;
        y[1..].MulInPlace(w);
        (y * y).Sum().Backward();
        Assert.Equal("tensor([  2., 100., 150.])", x.Grad!.ToString());
        Assert.Equal("tensor(130.)", w.Grad!.ToString());
    }

    [Fact]
    public void ModifyingASavedTensorFailsWithBothVersionsAndTheNode()
    {
        // PyTorch: "... [torch.FloatTensor [2]], which is output 0 of ExpBackward0, is at version 1; expected version 0 instead."
        // (a saved output is named by the node that saved it, even after the in-place op moved its history).
        var a = Tensor.From(new[] { 1f, 2f }, requiresGrad: true);
        var c = (a * 2).Exp();
        c.AddInPlace(1);
        var error = Assert.Throws<InvalidOperationException>(() => c.Sum().Backward());
        Assert.Contains("[torch.FloatTensor [2]], which is output 0 of ExpBackward0, is at version 1; expected version 0 instead", error.Message);

        // The saved input of a mul modified afterwards: named by its (new) producer.
        var b = a * 2;
        var product = b * b;
        b.AddInPlace(1);
        error = Assert.Throws<InvalidOperationException>(() => product.Sum().Backward());
        Assert.Contains("which is output 0 of AddBackward0, is at version 1; expected version 0 instead", error.Message);
    }

    [Fact]
    public void VersionCounterIsSharedByViews()
    {
        var x = Tensor.Zeros([2, 2]);
        var row = x[0];
        Assert.Equal(0, x.Version);
        row.FillInPlace(1);
        Assert.Equal(1, x.Version);
        Assert.Equal(1, row.Version);
        x.T.MulInPlace(2);
        Assert.Equal(2, row.Version);
        Assert.Equal([2f, 2f, 0f, 0f], x.ToArray<float>());
    }

    [Fact]
    public void NextFunctionsHasOneEntryPerTensorInput()
    {
        var x = Tensor.Scalar(3f, requiresGrad: true);
        var constant = Tensor.Scalar(2f);
        var product = x * constant;
        Assert.Equal(2, product.GradFn!.NextFunctions.Count);
        Assert.Equal("AccumulateGrad", product.GradFn.NextFunctions[0].Node!.Name);
        Assert.Null(product.GradFn.NextFunctions[1].Node);
        Assert.Same(product.GradFn.NextFunctions[0].Node, (x + 1).GradFn!.NextFunctions[0].Node);
    }

    [Fact]
    public void ABackwardInsideABackwardSharesALeafWithTheOuterGraph()
    {
        // w's accumulator is in both the outer graph and the one Checkpoint backpropagates while the outer
        // run holds it (PyTorch 1.13: w.grad = x + 5 = 8, x.grad = w = 2).
        var w = Tensor.Scalar(2f, requiresGrad: true);
        var x = Tensor.Scalar(3f, requiresGrad: true);
        (Checkpoint.Run(t => t * w, x) + (w * 5)).Backward();
        Assert.Equal(8.0, w.Grad!.Item());
        Assert.Equal(2.0, x.Grad!.Item());

        // Both runs gave the nodes back: a second graph over the same leaves runs as usual.
        (w * x).Backward();
        Assert.Equal(11.0, w.Grad!.Item());
    }

    [Fact]
    public void BackwardsOnTwoThreadsShareLeafAccumulators()
    {
        var w = Tensor.Scalar(1f, requiresGrad: true);
        var grads = new double[8];
        Parallel.For(0, grads.Length, i =>
        {
            var x = Tensor.Scalar((float)i, requiresGrad: true);
            var y = x * w;
            for (var k = 0; k < 200; k++)
            {
                y = y * 1;
            }

            y.Backward();
            grads[i] = x.Grad!.Item();
        });

        Assert.All(grads, g => Assert.Equal(1.0, g));
    }
}
