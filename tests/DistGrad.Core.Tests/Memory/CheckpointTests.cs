namespace DistGrad.Tests.Memory;

/// <summary>Checkpoint.Run: same gradients as a plain forward, fewer saved bytes, same random draws on recompute.</summary>
[Collection(DefaultGeneratorCollection.Name)]
public class CheckpointTests
{
    private static readonly Tensor W1 = Tensor.Randn([64, 64], generator: new Generator(1)).SetRequiresGrad();
    private static readonly Tensor W2 = Tensor.Randn([64, 64], generator: new Generator(2)).SetRequiresGrad();

    // Four layers whose activations a plain forward keeps for backward.
    private static Tensor Block(Tensor x) => x.MatMul(W1).Tanh().MatMul(W2).Sigmoid().Exp();

    [Fact]
    public void GradientsEqualThoseOfThePlainForward()
    {
        var x = Tensor.Randn([8, 64], generator: new Generator(3), requiresGrad: true);
        Block(x).Sum().Backward();
        var (plainX, plainW1, plainW2) = (x.Grad!.ToArray<float>(), W1.Grad!.ToArray<float>(), W2.Grad!.ToArray<float>());
        x.Grad = null;
        W1.Grad = null;
        W2.Grad = null;

        Checkpoint.Run(Block, x).Sum().Backward();

        Assert.Equal(plainX, x.Grad!.ToArray<float>());
        Assert.Equal(plainW1, W1.Grad!.ToArray<float>());
        Assert.Equal(plainW2, W2.Grad!.ToArray<float>());
        W1.Grad = null;
        W2.Grad = null;
    }

    [Fact]
    public void OnlyTheSegmentsInputsAreHeld()
    {
        var x = Tensor.Randn([8, 64], generator: new Generator(4), requiresGrad: true);
        var plain = Block(x);
        var checkpointed = Checkpoint.Run(Block, x);

        var plainBytes = Autograd.SavedTensorBytes(plain);
        var checkpointBytes = Autograd.SavedTensorBytes(checkpointed);

        // The checkpoint holds x alone (8·64 floats). The plain graph holds x and both weights (for the
        // matmuls) and the tanh, sigmoid and exp outputs (their backward uses the result).
        const int activation = 8 * 64 * 4;
        const int weight = 64 * 64 * 4;
        Assert.Equal(activation, checkpointBytes);
        Assert.Equal((4 * activation) + (2 * weight), plainBytes);
        Assert.Equal("CheckpointFunctionBackward", checkpointed.GradFn!.Name);

        checkpointed.Sum().Backward();
        Assert.Equal(0, Autograd.SavedTensorBytes(checkpointed));
        W1.Grad = null;
        W2.Grad = null;
    }

    [Fact]
    public void RecomputationReplaysTheSameRandomDraws()
    {
        Tensor? forwardMask = null;
        Tensor Dropoutish(Tensor x)
        {
            var mask = (Tensor.Rand(x.Shape) > 0.5).Float();
            forwardMask ??= mask;
            return x * mask * 2;
        }

        Generator.ManualSeed(7);
        var input = Tensor.Ones([1000], requiresGrad: true);
        var y = Checkpoint.Run(Dropoutish, input);
        var nextDrawBefore = Generator.Default.GetState();
        y.Sum().Backward();

        // Gradient is 2 where the forward kept an element: the recomputed mask is the forward's.
        Assert.Equal((forwardMask! * 2).ToArray<float>(), input.Grad!.ToArray<float>());

        // And the default stream continues where the forward left it.
        Assert.Equal(nextDrawBefore, Generator.Default.GetState());
    }

    [Fact]
    public void ManyInputsAndInputsWithoutGrad()
    {
        var a = Tensor.From(new[] { 1.0, 2.0 }, requiresGrad: true);
        var b = Tensor.From(new[] { 3.0, 4.0 });
        var y = Checkpoint.Run(inputs => (inputs[0] * inputs[1]).Exp(), a, b);
        y.Sum().Backward();
        Assert.Equal(new[] { 3 * Math.Exp(3), 4 * Math.Exp(8) }, a.Grad!.ToArray<double>());
        Assert.Null(b.Grad);
        Assert.True(GradCheck.Check(x => Checkpoint.Run(t => t.Pow(3).Tanh() * t.Sigmoid(), x), Tensor.From(new[] { 0.5, -1.2 }, requiresGrad: true)));
    }
}
