using static DistGrad.Tests.Seed.Chapter24CustomFunctionsTests;

namespace DistGrad.Tests.Api;

/// <summary>docs/API.md's "Hooks", "Custom functions" and "Checks, clipping, memory, pictures" sections, as written.</summary>
public class ApiHooksFunctionsChecksTests
{
    [Fact]
    public void HooksSection()
    {
        var p = Tensor.From(new[] { 1f, 2f }, requiresGrad: true);
        var x = Tensor.From(new[] { 0.5f, 1f }, requiresGrad: true);
        var y = x.Exp();
        HookHandle h = y.RegisterHook(g => g * 2);
        h.Remove();
        using (y.RegisterHook(g => g * 2))
        {
        }

        var accumulated = new List<string>();
        p.RegisterPostAccumulateGradHook(t => accumulated.Add(t.Grad!.ToString()));
        y.GradFn!.RegisterHook(g => g * 0.5);
        y.GradFn.RegisterHook((gradInputs, gradOutputs) => gradInputs);
        y.GradFn.RegisterPrehook(gradOutputs => gradOutputs);

        (y.Sum() + (p * 3).Sum()).Backward();

        Assert.Equal(["tensor([3., 3.])"], accumulated);
        Assert.Equal(Math.Exp(0.5) * 0.5, x.Grad!.ToArray<float>()[0], 5);
    }

    [Fact]
    public void CustomFunctionsSection()
    {
        var d = Tensor.Randn([3], dtype: DType.Float64, requiresGrad: true, generator: new Generator(seed: 0));
        bool ok = GradCheck.Check(MyReLU.Apply, d);
        Assert.True(ok);
        Assert.Equal("MyReLUBackward", MyReLU.Apply(d).GradFn!.Name);
    }

    [Fact]
    public void ChecksClippingMemoryPicturesSection()
    {
        IEnumerable<Tensor> parameters = [Tensor.From(new[] { 3f, 4f }, requiresGrad: true), Tensor.Scalar(1f, requiresGrad: true)];
        var list = parameters.ToList();
        list[0].Grad = Tensor.From(new[] { 3f, 4f });
        Tensor total = ClipGrad.Norm(list, maxNorm: 1.0, normType: 2.0); // returns the total norm before clipping
        Assert.Equal(5.0, total.Item(), 5);
        Assert.Equal(0.6, list[0].Grad!.ToArray<float>()[0], 5);
        Assert.Null(list[1].Grad);
        ClipGrad.Value(list, clipValue: 0.5);
        Assert.Equal([0.5f, 0.5f], list[0].Grad!.ToArray<float>());

        static Tensor CustomForward(Tensor t) => t.Tanh().Exp();
        var x = Tensor.From(new[] { 0.1f, 0.2f }, requiresGrad: true);
        var y2 = Checkpoint.Run(CustomForward, x); // recomputes the forward in backward; same gradients, less memory
        y2.Sum().Backward();
        Assert.NotNull(x.Grad);
    }

    [RequiresProgramFact("dot", "graphviz")]
    public void RendersThePicturesOfTheClippingMemoryPicturesSection()
    {
        var xs = Tensor.Scalar(3f, requiresGrad: true);
        var ys = Tensor.Scalar(4f, requiresGrad: true);
        var z = (xs + ys) * (ys - 2);
        var directory = Directory.CreateTempSubdirectory("distgrad-api");
        var graph = Path.Combine(directory.FullName, "graph");
        var picture = GraphViz.MakeDot(z, new() { ["x"] = xs, ["y"] = ys }).Render(graph, format: "png");
        Assert.True(File.Exists(picture));
        directory.Delete(recursive: true);
    }

    [Fact]
    public void DetectAnomalyNamesTheNodeOfAPlantedNaN()
    {
        // PyTorch: x = zeros(2); y = x * log(x) → "Function 'LogBackward0' returned nan values in its 0th output."
        var x = Tensor.Zeros([2], requiresGrad: true);
        using (Autograd.DetectAnomaly())
        {
            var y = x * x.Log();
            var error = Assert.Throws<InvalidOperationException>(() => y.Sum().Backward());
            Assert.StartsWith("Function 'LogBackward0' returned nan values in its 0th output.", error.Message);
            Assert.Contains(nameof(DetectAnomalyNamesTheNodeOfAPlantedNaN), error.Message);
        }
    }
}
