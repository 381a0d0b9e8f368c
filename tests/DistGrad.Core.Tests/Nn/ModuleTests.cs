namespace DistGrad.Tests.Nn;

using DistGrad.Nn;
using static LayerValueTests;

/// <summary>Module structure, state dicts, modes, printing and hooks, against PyTorch 1.13.</summary>
public class ModuleTests
{
    private static Sequential NestedModel() =>
        new(new Sequential(new Linear(2, 3), new ReLU()), new Linear(3, 1), new BatchNorm1d(1));

    [Fact]
    public void NamesFollowPyTorch()
    {
        var model = NestedModel();
        Assert.Equal(["0.0.weight", "0.0.bias", "1.weight", "1.bias", "2.weight", "2.bias"], model.NamedParameters().Select(p => p.Name));
        Assert.Equal(
            ["0.0.weight", "0.0.bias", "1.weight", "1.bias", "2.weight", "2.bias", "2.running_mean", "2.running_var", "2.num_batches_tracked"],
            model.StateDict().Keys);
        Assert.Equal(3, model.Children().Count());
        Assert.Equal(["", "0", "0.0", "0.1", "1", "2"], model.NamedModules().Select(m => m.Name));
        Assert.All(model.Parameters(), p => Assert.True(p.IsLeaf && p.RequiresGrad));
        Assert.Equal(6, model.Parameters().Count());
    }

    [Fact]
    public void PrintsLikePyTorch()
    {
        var model = NestedModel();
        Assert.Equal(
            "Sequential(\n  (0): Sequential(\n    (0): Linear(in_features=2, out_features=3, bias=True)\n    (1): ReLU()\n  )\n" +
            "  (1): Linear(in_features=3, out_features=1, bias=True)\n  (2): BatchNorm1d(1, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)\n)",
            model.ToString());
        Assert.Equal("Dropout(p=0.25, inplace=False)", new Dropout(0.25).ToString());
        Assert.Equal("LayerNorm((4,), eps=1e-05, elementwise_affine=True)", new LayerNorm(4).ToString());
        Assert.Equal("LSTM(3, 2, num_layers=2)", new LSTM(3, 2, numLayers: 2).ToString());
        Assert.Equal("Flatten(start_dim=1, end_dim=-1)", new Flatten().ToString());
        Assert.Equal("Softmax(dim=1)", new Softmax(1).ToString());
        Assert.Equal("Sigmoid()", new Sigmoid().ToString());
    }

    [Fact]
    public void LoadStateDictCopiesInPlaceAndReportsKeys()
    {
        var source = NestedModel();
        var target = NestedModel();
        var weight = target.Parameters().First();
        var (missing, unexpected) = target.LoadStateDict(source.StateDict());
        Assert.Empty(missing);
        Assert.Empty(unexpected);
        Assert.Same(weight, target.Parameters().First());
        Assert.Equal(source.Parameters().First().ToArray<float>(), weight.ToArray<float>());

        var partial = new Dictionary<string, Tensor> { ["0.0.weight"] = Tensor.Zeros([3, 2]), ["extra"] = Tensor.Zeros([1]) };
        (missing, unexpected) = target.LoadStateDict(partial, strict: false);
        Assert.Equal(["0.0.bias", "1.weight", "1.bias", "2.weight", "2.bias", "2.running_mean", "2.running_var"], missing);
        Assert.Equal(["extra"], unexpected);
        Assert.Equal(new float[6], weight.ToArray<float>());
    }

    [Fact]
    public void LoadStateDictErrorsNameTheKeysAsPyTorch()
    {
        var bad = new Dictionary<string, Tensor> { ["0.0.weight"] = Tensor.Zeros([3, 2]), ["extra"] = Tensor.Zeros([1]), ["1.weight"] = Tensor.Zeros([2, 3]) };
        var error = Assert.Throws<ArgumentException>(() => NestedModel().LoadStateDict(bad));
        Assert.Equal(
            "Error(s) in loading state_dict for Sequential:\n\tMissing key(s) in state_dict: \"0.0.bias\", \"1.bias\", \"2.weight\", \"2.bias\", \"2.running_mean\", \"2.running_var\". " +
            "\n\tUnexpected key(s) in state_dict: \"extra\". \n\tsize mismatch for 1.weight: copying a param with shape torch.Size([2, 3]) from checkpoint, the shape in current model is torch.Size([1, 3]).",
            error.Message);

        // A shape mismatch throws even when not strict.
        Assert.Throws<ArgumentException>(() => NestedModel().LoadStateDict(new Dictionary<string, Tensor> { ["1.weight"] = Tensor.Zeros([2, 3]) }, strict: false));
    }

    [Fact]
    public void TrainAndEvalReachEveryModule()
    {
        var model = NestedModel();
        Assert.True(model.IsTraining);
        model.Eval();
        Assert.All(model.Modules(), m => Assert.False(m.IsTraining));
        model.Train();
        Assert.All(model.Modules(), m => Assert.True(m.IsTraining));
    }

    [Fact]
    public void FreezingStopsGradients()
    {
        var first = new Linear(2, 3);
        var model = new Sequential(first, new ReLU(), new Linear(3, 1));
        first.SetRequiresGrad(false);
        model.Forward(Tensor.Ones([4, 2])).Sum().Backward();
        Assert.Null(first.Weight.Grad);
        Assert.NotNull(((Linear)model[2]).Weight.Grad);
    }

    [Fact]
    public void InitialisationFollowsPyTorchsBounds()
    {
        var linear = new Linear(784, 256, generator: new Generator(1));
        var bound = 1 / Math.Sqrt(784);
        Assert.All(linear.Weight.ToArray<float>(), v => Assert.InRange(v, -bound, bound));
        Assert.All(linear.Bias!.ToArray<float>(), v => Assert.InRange(v, -bound, bound));
        var std = linear.Weight.Std().Item();
        Assert.Equal(bound / Math.Sqrt(3), std, 3); // the standard deviation of U(-b, b)

        var xavier = Init.XavierUniform(Tensor.Empty([300, 200]), generator: new Generator(2));
        var xavierBound = Math.Sqrt(6.0 / 500);
        Assert.All(xavier.ToArray<float>(), v => Assert.InRange(v, -xavierBound, xavierBound));
        Assert.Equal(xavierBound / Math.Sqrt(3), xavier.Std().Item(), 3);

        // The same seed gives the same model.
        Assert.Equal(linear.Weight.ToArray<float>(), new Linear(784, 256, generator: new Generator(1)).Weight.ToArray<float>());
    }

    [Fact]
    public void DropoutScalesInTrainingAndIsIdentityInEval()
    {
        var dropout = new Dropout(0.25, new Generator(5));
        var x = Tensor.Ones([10000]);
        var y = dropout.Forward(x).ToArray<float>();
        Assert.All(y, v => Assert.True(v == 0 || Math.Abs(v - (1 / 0.75)) < 1e-6));
        Assert.Equal(0.25, y.Count(v => v == 0) / 10000.0, 1);
        dropout.Eval();
        Assert.Equal(x.ToArray<float>(), dropout.Forward(x).ToArray<float>());
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(1.5));
    }

    [Fact]
    public void Section3A_ForwardAndBackwardHooks()
    {
        // The seed's nn.Linear(10, 5) with a doubling forward hook and a backward hook (PyTorch 1.13 values).
        var printed = new List<string>();
        var model = new Linear(10, 5);
        model.LoadStateDict(new Dictionary<string, Tensor> { ["weight"] = Det([5, 10], 40), ["bias"] = Det([5], 41) });
        model.RegisterForwardHook((module, input, output) =>
        {
            printed.Add($"Input shape: [{string.Join(", ", input.Shape)}]");
            return output * 2; // Modify output
        });
        model.RegisterFullBackwardHook((module, gradInput, gradOutput) =>
        {
            printed.Add($"Gradient w.r.t input: {gradInput[0]!.Norm().Item():F6}");
            printed.Add($"Gradient norm: {gradOutput[0]!.Norm().Item():F6}");
            return null;
        });

        var x = Det([2, 10], 42, requiresGrad: true);
        var output = model.Forward(x);
        Assert.Equal("BackwardHookFunctionBackward", output.GradFn!.Name);
        Assert.Equal(-0.1735, output.ToArray<float>()[0], 4);
        (output * Det([2, 5], 43)).Sum().Backward();

        Assert.Equal(["Input shape: [2, 10]", "Gradient w.r.t input: 0.807036", "Gradient norm: 1.179109"], printed);
        Assert.Equal(0.8070, x.Grad!.Norm().Item(), 4);
        Assert.Equal(3.4739, model.Weight.Grad!.Norm().Item(), 4);
    }

    [Fact]
    public void FullBackwardHookWithoutInputGradientSeesNull()
    {
        Tensor?[]? seenInput = null;
        double seenOutputNorm = 0;
        var model = new Linear(10, 5);
        model.LoadStateDict(new Dictionary<string, Tensor> { ["weight"] = Det([5, 10], 40), ["bias"] = Det([5], 41) });
        model.RegisterFullBackwardHook((module, gradInput, gradOutput) =>
        {
            seenInput = gradInput;
            seenOutputNorm = gradOutput[0]!.Norm().Item();
            return null;
        });

        (model.Forward(Det([2, 10], 42)) * Det([2, 5], 43)).Sum().Backward();

        Assert.Equal([null], seenInput!); // PyTorch: (None,)
        Assert.Equal(1.1791092157363892, seenOutputNorm, 5);
    }

    [Fact]
    public void FullBackwardHookCanReplaceTheInputGradient()
    {
        var model = new Linear(10, 5);
        model.RegisterFullBackwardHook((module, gradInput, gradOutput) => [gradInput[0]! * 0]);
        var x = Det([2, 10], 42, requiresGrad: true);
        model.Forward(x).Sum().Backward();
        Assert.Equal(0.0, x.Grad!.Abs().Sum().Item());
        Assert.NotNull(model.Weight.Grad);
    }

    [Fact]
    public void Section3B1_FeatureExtraction()
    {
        var activations = new Dictionary<string, Tensor>();
        Func<Module, Tensor, Tensor, Tensor?> SaveActivation(string name) => (module, input, output) =>
        {
            activations[name] = output;
            return null;
        };

        var model = new Sequential(new Linear(4, 3), new ReLU(), new Linear(3, 2));
        using var handle = model[1].RegisterForwardHook(SaveActivation("relu"));
        var output = model.Forward(Det([5, 4], 44));

        Assert.Equal([5, 3], activations["relu"].Shape);
        Assert.True(activations["relu"].ToArray<float>().All(v => v >= 0));
        Assert.Equal(output.ToArray<float>(), model[2].Forward(activations["relu"]).ToArray<float>());
    }

    [Fact]
    public void ForwardPreHookReplacesTheInput()
    {
        var model = new Linear(3, 1);
        var handle = model.RegisterForwardPreHook((module, input) => input * 0);
        Assert.Equal(model.Bias!.ToArray<float>(), model.Forward(Tensor.Ones([1, 3])).Reshape(1).ToArray<float>());
        handle.Remove();
        Assert.NotEqual(model.Bias!.ToArray<float>(), model.Forward(Tensor.Ones([1, 3])).Reshape(1).ToArray<float>());
    }

    [Fact]
    public void BadArgumentsGetClearErrors()
    {
        Assert.Throws<ArgumentException>(() => new Linear(0, 3));
        Assert.Contains("mat1 and mat2 shapes cannot be multiplied", Assert.Throws<ArgumentException>(() => new Linear(3, 2).Forward(Tensor.Ones([4, 5]))).Message);
        Assert.Contains("is not a valid value for reduction", Assert.Throws<ArgumentException>(() => new MSELoss("avg")).Message);
        Assert.Contains("Target 7 is out of bounds", Assert.Throws<ArgumentException>(() => Functional.CrossEntropy(Tensor.Ones([2, 3]), Tensor.From(new long[] { 0, 7 }))).Message);
        Assert.Contains("Expected input batch_size (2) to match target batch_size (3)", Assert.Throws<ArgumentException>(() => Functional.CrossEntropy(Tensor.Ones([2, 3]), Tensor.From(new long[] { 0, 1, 2 }))).Message);
        Assert.Contains("Long", Assert.Throws<ArgumentException>(() => Functional.NllLoss(Tensor.Ones([2, 3]), Tensor.From(new[] { 0f, 1f }))).Message);
        Assert.Contains("Expected more than 1 value per channel when training", Assert.Throws<ArgumentException>(() => new BatchNorm1d(3).Forward(Tensor.Ones([1, 3]))).Message);
    }
}
