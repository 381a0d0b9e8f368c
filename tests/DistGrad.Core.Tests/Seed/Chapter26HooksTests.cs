namespace DistGrad.Tests.Seed;

/// <summary>
/// Seed chapter 2.6, "Autograd Hooks": the tensor- and operation-level examples with PyTorch 1.13's values
/// (module hooks come with the nn modules).
/// </summary>
public class Chapter26HooksTests
{
    [Fact]
    public void Section2A_BasicUsage()
    {
        var printed = new List<string>();
        var x = Tensor.Scalar(2.0f, requiresGrad: true);
        var y = x.Pow(2);

        Tensor? GradientHook(Tensor grad)
        {
            printed.Add($"Original gradient: {grad.Item():0.0}");
            return grad * 0.1; // Scale gradient by 0.1
        }

        var handle = y.RegisterHook(GradientHook);
        y.Backward();

        Assert.Equal(["Original gradient: 1.0"], printed);
        Assert.Equal("tensor(0.4000)", x.Grad!.ToString()); // instead of 4.0
        handle.Remove(); // Always clean up!
    }

    [Fact]
    public void Section2B1_GradientClippingForSpecificTensors()
    {
        var param = Tensor.From(new[] { 0.3f, -2.0f, 1.5f }, requiresGrad: true);
        Tensor? ClipHook(Tensor grad) => grad.Clamp(-0.5, 0.5);
        param.RegisterHook(ClipHook);

        (param * Tensor.From(new[] { 0.2f, 3.0f, -4.0f })).Sum().Backward();

        Assert.Equal("tensor([ 0.2000,  0.5000, -0.5000])", param.Grad!.ToString());
    }

    [Fact]
    public void Section2B2_GradientMasking()
    {
        var maskTensor = Tensor.From(new[] { 1f, 0f, 1f });
        var q = Tensor.From(new[] { 1f, 2f, 3f }, requiresGrad: true);
        Tensor? MaskHook(Tensor grad) => grad * maskTensor; // Zero out certain gradients
        q.RegisterHook(MaskHook);

        (q * q).Sum().Backward();

        Assert.Equal("tensor([2., 0., 6.])", q.Grad!.ToString());
    }

    [Fact]
    public void Section4_OperationLevelHooks()
    {
        var printed = new List<string>();
        var x = Tensor.Scalar(3.0f, requiresGrad: true);
        var y = x.Exp(); // y.GradFn = <ExpBackward0>
        Assert.Equal("<ExpBackward0>", y.GradFn!.ToString());

        // The single-gradient form sees what the node passes on to x: here exp(3) (PyTorch's grad_inputs[0]).
        Tensor? ExpBackwardHook(Tensor grad)
        {
            printed.Add($"Gradient before exp: {grad}");
            return grad * 0.5; // Modify gradient
        }

        y.GradFn.RegisterHook(ExpBackwardHook);
        y.Backward();

        Assert.Equal(["Gradient before exp: tensor(20.0855)"], printed);
        Assert.Equal("tensor(10.0428)", x.Grad!.ToString()); // 0.5 * exp(3)
    }

    private static Tensor? AdaptiveHook(Tensor grad) =>
        grad.Abs().Max().Item() > 1.0 ? grad / grad.Norm() : grad; // Normalize if too large

    [Fact]
    public void Section5A_ConditionalGradientModification()
    {
        var param = Tensor.From(new[] { 1f, 2f }, requiresGrad: true);
        param.RegisterHook(AdaptiveHook);
        (param * param * 3).Sum().Backward();
        Assert.Equal("tensor([0.4472, 0.8944])", param.Grad!.ToString());

        var small = Tensor.From(new[] { 0.1f, 0.2f }, requiresGrad: true);
        small.RegisterHook(AdaptiveHook);
        (small * small).Sum().Backward();
        Assert.Equal("tensor([0.2000, 0.4000])", small.Grad!.ToString());
    }

    [Fact]
    public void Section5B_GradientAccumulationMonitoring()
    {
        var totalGrad = Tensor.Scalar(0f);
        Tensor? AccumulationHook(Tensor grad)
        {
            totalGrad += grad.Abs().Sum();
            return grad;
        }

        Tensor[] parameters = [Tensor.From(new[] { 1f, -2f }, requiresGrad: true), Tensor.Scalar(3f, requiresGrad: true)];
        foreach (var param in parameters)
        {
            param.RegisterHook(AccumulationHook);
        }

        (parameters[0] * parameters[1]).Sum().Pow(2).Backward();

        Assert.Equal("tensor(42.)", totalGrad.ToString());
        Assert.Equal("tensor([-18., -18.])", parameters[0].Grad!.ToString());
        Assert.Equal("tensor(6.)", parameters[1].Grad!.ToString());
    }

    [Fact]
    public void Section5C_MemoryEfficientHooks()
    {
        // The hook holds the parameter weakly; it sets Grad and returns null, so AccumulateGrad then adds
        // the gradient to it (PyTorch: 0.3 + 3 = tensor([3.3000, 3.3000])).
        static Func<Tensor, Tensor?> CreateHook(WeakReference<Tensor> paramRef) => grad =>
        {
            if (paramRef.TryGetTarget(out var param))
            {
                param.Grad = grad * 0.1;
            }

            return null;
        };

        var param = Tensor.From(new[] { 1f, 2f }, requiresGrad: true);
        param.RegisterHook(CreateHook(new WeakReference<Tensor>(param)));
        (param * 3).Sum().Backward();

        Assert.Equal("tensor([3.3000, 3.3000])", param.Grad!.ToString());
    }

    [Fact]
    public void Section6A_NaNGradientDetection()
    {
        var printed = new List<string>();
        Tensor? NanCheckHook(Tensor grad)
        {
            if (grad.IsNan().Any().Item() != 0)
            {
                printed.Add("NaN detected!");
                return grad.NanToNum();
            }

            return grad;
        }

        var z = Tensor.From(new[] { 0f, 1f }, requiresGrad: true);
        var w = z * 1;
        w.RegisterHook(NanCheckHook);
        (w * w.Log()).Sum().Backward();

        Assert.Equal(["NaN detected!"], printed);
        Assert.Equal("tensor([0., 1.])", z.Grad!.ToString());
    }

    [Fact]
    public void Section6B_GradientDistributionLogging()
    {
        var printed = new List<string>();
        Tensor? StatsHook(Tensor grad)
        {
            printed.Add($"Mean: {grad.Mean().Item():F4}, Std: {grad.Std().Item():F4}");
            return grad;
        }

        var x = Tensor.From(new[] { 1.5f, -2f }, requiresGrad: true);
        x.RegisterHook(StatsHook);
        (x * x).Sum().Backward(); // grad [3., -4.]

        Assert.Equal(["Mean: -0.5000, Std: 4.9497"], printed);
    }

    [Fact]
    public void Section1_HookTypesRunInPyTorchsOrder()
    {
        // Tensor hook on the non-leaf, then the node's hook, then the leaf's hook (registration order within a node).
        var order = new List<string>();
        var x = Tensor.From(new[] { 1f, 2f }, requiresGrad: true);
        var y = x.Exp();
        x.RegisterHook(_ => { order.Add("leaf"); return null; });
        y.GradFn!.RegisterHook((_, _) => { order.Add("node"); return null; });
        y.RegisterHook(_ => { order.Add("tensor"); return null; });
        using var handle = y.RegisterHook(_ => { order.Add("removed"); return null; });
        handle.Dispose();

        y.Sum().Backward();

        Assert.Equal(["tensor", "node", "leaf"], order);
    }
}
