namespace DistGrad.Tests.Functions;

/// <summary>Custom functions beyond the seed's examples: errors, several outputs, context flags.</summary>
public class CustomFunctionTests
{
    private sealed class WrongShape : Function<WrongShape>
    {
        public override Tensor Forward(FunctionContext ctx, Tensor x) => x * 2;

        public override Tensor?[] Backward(FunctionContext ctx, Tensor gradOutput) => [gradOutput[..1]];
    }

    private sealed class WrongCount : Function<WrongCount>
    {
        public override Tensor Forward(FunctionContext ctx, Tensor x) => x * 2;

        public override Tensor?[] Backward(FunctionContext ctx, Tensor gradOutput) => [gradOutput, gradOutput];
    }

    private sealed class GradientForANumber : Function<GradientForANumber>
    {
        public override Tensor Forward(FunctionContext ctx, Tensor x, double alpha) => x * alpha;

        public override Tensor?[] Backward(FunctionContext ctx, Tensor gradOutput) => [gradOutput, gradOutput];
    }

    private sealed class IntegerGradient : Function<IntegerGradient>
    {
        public override Tensor Forward(FunctionContext ctx, Tensor x) => x * 2;

        public override Tensor?[] Backward(FunctionContext ctx, Tensor gradOutput) => [gradOutput.Long()];
    }

    [Fact]
    public void AWrongGradientShapeNamesTheFunctionAndTheInput()
    {
        // PyTorch: "Function BadBackward returned an invalid gradient at index 0 - got [1] but expected shape compatible with [3]"
        var error = Assert.Throws<InvalidOperationException>(() => WrongShape.Apply(Tensor.Ones([3], requiresGrad: true)).Sum().Backward());
        Assert.Equal("Function WrongShapeBackward returned an invalid gradient at index 0 - got [1] but expected shape compatible with [3]", error.Message);
    }

    [Fact]
    public void AWrongGradientCountNamesTheFunction()
    {
        // PyTorch: "function Bad2Backward returned an incorrect number of gradients (expected 1, got 2)"
        var error = Assert.Throws<InvalidOperationException>(() => WrongCount.Apply(Tensor.Ones([3], requiresGrad: true)).Sum().Backward());
        Assert.Equal("function WrongCountBackward returned an incorrect number of gradients (expected 1, got 2)", error.Message);
    }

    [Fact]
    public void AGradientForANonTensorArgumentIsRefused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => GradientForANumber.Apply(Tensor.Ones([2], requiresGrad: true), 2.0).Sum().Backward());
        Assert.Contains("GradientForANumberBackward", error.Message);
        Assert.Contains("position 2", error.Message);
    }

    [Fact]
    public void AnIntegerGradientForAFloatInputIsRefused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => IntegerGradient.Apply(Tensor.Ones([2], requiresGrad: true)).Sum().Backward());
        Assert.Contains("IntegerGradientBackward", error.Message);
        Assert.Contains("index 0", error.Message);
        Assert.Contains("torch.int64", error.Message);
    }

    private sealed class SplitHalves : Function<SplitHalves>
    {
        public override Tensor[] ForwardMany(FunctionContext ctx, object?[] args)
        {
            var x = (Tensor)args[0]!;
            var n = x.Size(0) / 2;
            var indices = Tensor.Arange(0, n);
            ctx.MarkNonDifferentiable(indices);
            ctx["n"] = n;
            return [x[..n].Clone(), x[n..].Clone(), indices];
        }

        public override Tensor?[] BackwardMany(FunctionContext ctx, Tensor?[] gradOutputs) =>
            [Tensor.Cat([gradOutputs[0]!, gradOutputs[1]!])];
    }

    [Fact]
    public void SeveralOutputsShareOneNodeAndUnusedOutputsGetZeros()
    {
        var x = Tensor.From(new[] { 1f, 2f, 3f, 4f }, requiresGrad: true);
        var outputs = SplitHalves.ApplyMany(x);
        Assert.Same(outputs[0].GradFn, outputs[1].GradFn);
        Assert.Equal("SplitHalvesBackward", outputs[0].GradFn!.Name);
        Assert.False(outputs[2].RequiresGrad);

        // Only the first half is used: the second half's gradient arrives as zeros (MaterializeGrads).
        (outputs[0] * 3).Sum().Backward();
        Assert.Equal([3f, 3f, 0f, 0f], x.Grad!.ToArray<float>());
    }

    private sealed class RecordsNeeds : Function<RecordsNeeds>
    {
        public static IReadOnlyList<bool>? Seen { get; set; }

        public override Tensor Forward(FunctionContext ctx, Tensor a, Tensor b)
        {
            Seen = ctx.NeedsInputGrad;
            return a * b;
        }

        public override Tensor?[] Backward(FunctionContext ctx, Tensor gradOutput) => [gradOutput, null];
    }

    [Fact]
    public void NeedsInputGradTellsWhichInputsWantAGradient()
    {
        RecordsNeeds.Apply(Tensor.Ones([2], requiresGrad: true), Tensor.Ones([2]));
        Assert.Equal([true, false], RecordsNeeds.Seen);

        using (Autograd.NoGrad())
        {
            var y = RecordsNeeds.Apply(Tensor.Ones([2], requiresGrad: true), Tensor.Ones([2]));
            Assert.Equal([false, false], RecordsNeeds.Seen);
            Assert.False(y.RequiresGrad);
        }
    }

    [Fact]
    public void SavedTensorsAreFreedAfterBackward()
    {
        var x = Tensor.From(new[] { -1f, 2f }, requiresGrad: true);
        var y = Seed.Chapter24CustomFunctionsTests.MyReLU.Apply(x);
        y.Sum().Backward();
        var error = Assert.Throws<InvalidOperationException>(() => y.Sum().Backward());
        Assert.Contains("retainGraph: true", error.Message);
    }

    [Fact]
    public void ASavedTensorChangedInPlaceIsCaught()
    {
        var x = Tensor.From(new[] { -1f, 2f }, requiresGrad: true);
        var h = x * 1;
        var y = Seed.Chapter24CustomFunctionsTests.MyReLU.Apply(h);
        h.AddInPlace(1);
        var error = Assert.Throws<InvalidOperationException>(() => y.Sum().Backward());
        Assert.Contains("is at version 1; expected version 0", error.Message);
    }

    [Fact]
    public void AFunctionWithoutAMatchingForwardSaysWhatToOverride()
    {
        var error = Assert.Throws<NotImplementedException>(() => WrongShape.Apply(Tensor.Ones([2]), Tensor.Ones([2])));
        Assert.Contains("WrongShape does not override Forward(ctx, Tensor, Tensor)", error.Message);
    }
}
