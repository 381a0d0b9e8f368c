namespace DistGrad.Tests.Seed;

/// <summary>Seed chapter 2.4, "Custom Autograd Functions": the four examples written as a C# user writes them.</summary>
public class Chapter24CustomFunctionsTests
{
    public sealed class MyReLU : Function<MyReLU>
    {
        public override Tensor Forward(FunctionContext ctx, Tensor input)
        {
            ctx.SaveForBackward(input);
            return input.Clamp(min: 0); // ReLU: max(0, x)
        }

        public override Tensor?[] Backward(FunctionContext ctx, Tensor gradOutput)
        {
            var input = ctx.SavedTensors[0];
            var gradInput = gradOutput.Clone();
            gradInput[input < 0] = 0f; // Gradient is 0 where input < 0
            return [gradInput];
        }
    }

    public sealed class MyFunc : Function<MyFunc>
    {
        public override Tensor Forward(FunctionContext ctx, Tensor x, double alpha)
        {
            ctx["alpha"] = alpha; // Save scalar parameter
            return x * alpha;
        }

        public override Tensor?[] Backward(FunctionContext ctx, Tensor gradOutput) =>
            [gradOutput * ctx.Get<double>("alpha"), null]; // null for non-tensor args
    }

    public sealed class MyMultiplyAdd : Function<MyMultiplyAdd>
    {
        public override Tensor Forward(FunctionContext ctx, Tensor a, Tensor b, Tensor c)
        {
            ctx.SaveForBackward(a, b, c);
            return (a * b) + c;
        }

        public override Tensor?[] Backward(FunctionContext ctx, Tensor gradOutput)
        {
            var saved = ctx.SavedTensors;
            var (a, b) = (saved[0], saved[1]);
            return [gradOutput * b, gradOutput * a, gradOutput];
        }
    }

    public sealed class MyInPlace : Function<MyInPlace>
    {
        public override Tensor Forward(FunctionContext ctx, Tensor x)
        {
            x.MulInPlace(2); // In-place modification
            ctx.MarkDirty(x); // Required for in-place
            return x;
        }

        public override Tensor?[] Backward(FunctionContext ctx, Tensor gradOutput) => [gradOutput * 2];
    }

    [Fact]
    public void Section3_CustomReLU()
    {
        var x = Tensor.From(new[] { -1f, 2f, -3f }, requiresGrad: true);
        var y = MyReLU.Apply(x); // Must use Apply
        Assert.Equal("tensor([0., 2., 0.], grad_fn=<MyReLUBackward>)", y.ToString());
        Assert.Equal("AccumulateGrad", y.GradFn!.NextFunctions.Single().Node!.Name);

        y.Backward(Tensor.Ones([3]));

        Assert.Equal("tensor([0., 1., 0.])", x.Grad!.ToString());
    }

    [Fact]
    public void Section4A_SavingNonTensorValues()
    {
        var x = Tensor.From(new[] { 1f, 2f }, requiresGrad: true);
        var y = MyFunc.Apply(x, 3.0);
        Assert.Equal("tensor([3., 6.], grad_fn=<MyFuncBackward>)", y.ToString());
        Assert.Single(y.GradFn!.NextFunctions); // one entry per tensor input, as in PyTorch

        y.Sum().Backward();

        Assert.Equal("tensor([3., 3.])", x.Grad!.ToString());
    }

    [Fact]
    public void Section4B_MultipleInputs()
    {
        var a = Tensor.From(new[] { 1f, 2f }, requiresGrad: true);
        var b = Tensor.From(new[] { 3f, 4f }, requiresGrad: true);
        var c = Tensor.From(new[] { 5f, 6f }, requiresGrad: true);
        var y = MyMultiplyAdd.Apply(a, b, c);
        Assert.Equal("tensor([ 8., 14.], grad_fn=<MyMultiplyAddBackward>)", y.ToString());

        y.Sum().Backward();

        Assert.Equal("tensor([3., 4.])", a.Grad!.ToString());
        Assert.Equal("tensor([1., 2.])", b.Grad!.ToString());
        Assert.Equal("tensor([1., 1.])", c.Grad!.ToString());
    }

    [Fact]
    public void Section5A_InPlaceOperations()
    {
        var a = Tensor.From(new[] { 1f, 2f }, requiresGrad: true);
        var x = a.Clone();
        var version = x.Version;
        var y = MyInPlace.Apply(x);

        Assert.Same(x, y);
        Assert.Equal("tensor([2., 4.], grad_fn=<MyInPlaceBackward>)", y.ToString());
        Assert.Equal(2, x.Version - version); // the in-place mul and MarkDirty, as in PyTorch

        (y * y).Sum().Backward();
        Assert.Equal("tensor([ 8., 16.])", a.Grad!.ToString());

        var leaf = Tensor.From(new[] { 1f }, requiresGrad: true);
        var error = Assert.Throws<InvalidOperationException>(() => MyInPlace.Apply(leaf));
        Assert.Equal("a leaf Variable that requires grad has been used in an in-place operation.", error.Message);
    }

    [Fact]
    public void Section6A_GradientChecking()
    {
        var input = Tensor.Randn([3], dtype: DType.Float64, requiresGrad: true, generator: new Generator(seed: 0));
        Assert.True(GradCheck.Check(MyReLU.Apply, input));
        Assert.True(GradCheck.Check(x => MyFunc.Apply(x, 2.5), input));
        var others = Enumerable.Range(1, 2).Select(s => Tensor.Randn([3], dtype: DType.Float64, requiresGrad: true, generator: new Generator(s))).ToArray();
        Assert.True(GradCheck.Check(MyMultiplyAdd.Apply, input, others[0], others[1]));
        Assert.True(GradCheck.Check(x => MyInPlace.Apply(x.Clone()), input));
    }

    public sealed class SafeFunction : Function<SafeFunction>
    {
        public static readonly List<string> Printed = [];

        public override Tensor Forward(FunctionContext ctx, Tensor input) => input.Clone();

        public override Tensor?[] Backward(FunctionContext ctx, Tensor gradOutput)
        {
            if (gradOutput.IsNan().Any().Item() != 0)
            {
                Printed.Add("NaN detected in gradients!");
            }

            return [gradOutput];
        }
    }

    [Fact]
    public void Section6B_NaNDetection()
    {
        var x = Tensor.From(new[] { 0f, 1f }, requiresGrad: true);
        var y = SafeFunction.Apply(x);
        (y * y.Log()).Sum().Backward(); // 0 * log 0 puts NaN into the gradient of y
        Assert.Equal(["NaN detected in gradients!"], SafeFunction.Printed);
    }

    public sealed class SparseDenseMul : Function<SparseDenseMul>
    {
        public override Tensor Forward(FunctionContext ctx, Tensor sparse, Tensor dense)
        {
            ctx.SaveForBackward(sparse, dense);
            return sparse * dense;
        }

        public override Tensor?[] Backward(FunctionContext ctx, Tensor gradOutput)
        {
            var saved = ctx.SavedTensors;
            return [gradOutput * saved[1], gradOutput * saved[0]];
        }
    }

    [Fact]
    public void Section7A_SparseOperations()
    {
        var sparse = Tensor.From(new[] { 0f, 2f, 0f }, requiresGrad: true);
        var dense = Tensor.From(new[] { 1f, 3f, 5f }, requiresGrad: true);
        SparseDenseMul.Apply(sparse, dense).Sum().Backward();
        Assert.Equal([1f, 3f, 5f], sparse.Grad!.ToArray<float>());
        Assert.Equal([0f, 2f, 0f], dense.Grad!.ToArray<float>());
    }

    public sealed class PhysicsLoss : Function<PhysicsLoss>
    {
        // A stand-in constraint: mean squared violation of predictions ≤ targets.
        public override Tensor Forward(FunctionContext ctx, Tensor predictions, Tensor targets)
        {
            ctx.SaveForBackward(predictions, targets);
            return (predictions - targets).Relu().Pow(2).Mean();
        }

        public override Tensor?[] Backward(FunctionContext ctx, Tensor gradOutput)
        {
            var saved = ctx.SavedTensors;
            var (preds, targets) = (saved[0], saved[1]);
            return [gradOutput * 2 * (preds - targets).Relu() / preds.Numel, null];
        }
    }

    [Fact]
    public void Section7B_PhysicsInformedLosses()
    {
        var predictions = Tensor.From(new[] { 1.0, 3.0, 2.0 }, requiresGrad: true);
        var targets = Tensor.From(new[] { 2.0, 2.0, 2.0 });
        var loss = PhysicsLoss.Apply(predictions, targets);
        Assert.Equal(1.0 / 3, loss.Item(), 12);
        loss.Backward();
        Assert.Equal([0.0, 2.0 / 3, 0.0], predictions.Grad!.ToArray<double>());
        Assert.True(GradCheck.Check(p => PhysicsLoss.Apply(p, targets), Tensor.From(new[] { 1.5, 3.0, 2.5 }, requiresGrad: true)));
    }
}
