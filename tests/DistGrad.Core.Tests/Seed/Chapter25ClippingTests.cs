namespace DistGrad.Tests.Seed;

/// <summary>
/// Seed chapter 2.5, "Gradient Clipping and Exploding/Vanishing Gradients": every example that needs no
/// torch.nn module, with a list of leaf tensors standing in for model.parameters() and a loss built from
/// them so that Backward fills their Grad. Expected values are PyTorch 1.13's on the same literal inputs.
/// </summary>
public class Chapter25ClippingTests
{
    private const double Rel = 1e-6;

    /// <summary>
    /// A two-layer "model": h = tanh(W1 @ x + b1), y = (w2 * h).sum() + b2, loss = (y - target)².
    /// Parameters in model.parameters() order: W1 [2, 3], b1 [2], w2 [2], b2 [].
    /// </summary>
    private static (List<Tensor> Parameters, Tensor Loss) Model(float target = 3.0f)
    {
        var w1 = Tensor.From(new[,] { { 0.5f, -1.0f, 2.0f }, { 1.5f, 0.25f, -0.75f } }, requiresGrad: true);
        var b1 = Tensor.From(new[] { 0.1f, -0.2f }, requiresGrad: true);
        var w2 = Tensor.From(new[] { 1.25f, -2.0f }, requiresGrad: true);
        var b2 = Tensor.Scalar(0.5f, requiresGrad: true);
        var x = Tensor.From(new[] { 1.0f, 2.0f, -1.0f });

        var h = (w1.MatMul(x) + b1).Tanh();
        var y = (w2 * h).Sum() + b2;
        var loss = (y - target).Pow(2);
        loss.Backward();

        return ([w1, b1, w2, b2], loss);
    }

    // PyTorch's gradients of Model() (target 3.0), parameter by parameter.
    private static readonly float[] GradW1 = [-0.063600205f, -0.12720041f, 0.063600205f, 0.5515189f, 1.1030378f, -0.5515189f];
    private static readonly float[] GradB1 = [-0.063600205f, 0.5515189f];
    private static readonly float[] GradW2 = [11.42049f, -11.307239f];
    private static readonly float[] GradB2 = [-11.445959f];

    // ------------------------------------------------------------------ 2.A

    [Fact]
    public void Section2A_GlobalNormClipping()
    {
        var (parameters, loss) = Model();
        AssertClose([32.752495f], loss, [], Rel);
        AssertClose(GradW1, parameters[0].Grad, [2, 3], Rel);
        AssertClose(GradB1, parameters[1].Grad, [2], Rel);
        AssertClose(GradW2, parameters[2].Grad, [2], Rel);
        AssertClose(GradB2, parameters[3].Grad, [], Rel);

        var totalNorm = ClipGrad.Norm(
            parameters,
            maxNorm: 1.0,  // Threshold
            normType: 2.0); // L2 norm

        AssertClose([19.785065f], totalNorm, [], Rel);
        AssertClose([-0.003214556f, -0.006429112f, 0.003214556f, 0.027875515f, 0.05575103f, -0.027875515f], parameters[0].Grad, [2, 3], Rel);
        AssertClose([-0.003214556f, 0.027875515f], parameters[1].Grad, [2], Rel);
        AssertClose([0.5772278f, -0.5715037f], parameters[2].Grad, [2], Rel);
        AssertClose([-0.57851505f], parameters[3].Grad, [], Rel);

        // The clipped gradients, viewed as one vector, have norm max_norm (less the 1e-6 term): torch 0.9999998.
        AssertClose([0.9999998f], GlobalNorm(parameters), [], Rel);
    }

    // ------------------------------------------------------------------ 2.B

    [Fact]
    public void Section2B_AdaptiveClipping()
    {
        var (parameters, _) = Model();

        // Clip based on gradient mean/std (for RNNs)
        var allGrads = parameters.Select(p => p.Grad!).ToList();
        var globalNorm = Tensor.Stack(allGrads.Select(g => g.Norm()).ToList()).Norm();
        var clipCoef = 1.0 / (globalNorm + 1e-6);
        foreach (var grad in allGrads)
        {
            grad.MulInPlace(clipCoef);
        }

        AssertClose([19.785065f], globalNorm, [], Rel);
        AssertClose([0.05054317f], clipCoef, [], Rel);
        AssertClose([-0.003214556f, -0.006429112f, 0.003214556f, 0.027875515f, 0.05575103f, -0.027875515f], parameters[0].Grad, [2, 3], Rel);
        AssertClose([-0.003214556f, 0.027875515f], parameters[1].Grad, [2], Rel);
        AssertClose([0.5772278f, -0.5715037f], parameters[2].Grad, [2], Rel);
        AssertClose([-0.57851505f], parameters[3].Grad, [], Rel);
        AssertClose([0.9999998f], GlobalNorm(parameters), [], Rel);

        // grad.mul_ works on the very tensors held in .grad.
        for (var i = 0; i < parameters.Count; i++)
        {
            Assert.Same(allGrads[i], parameters[i].Grad);
        }
    }

    // ------------------------------------------------------------------ 3.A

    [Fact]
    public void Section3A_RnnTighterClipping()
    {
        // A two-unit tanh RNN unrolled over three steps: h_t = tanh(Wxh·x_t + Whh @ h_{t-1}),
        // loss = Σ_t ((Why · h_t).sum() - y_t)².
        var wxh = Tensor.From(new[] { 0.8f, -1.2f }, requiresGrad: true);
        var whh = Tensor.From(new[,] { { 0.9f, -0.4f }, { 0.3f, 1.1f } }, requiresGrad: true);
        var why = Tensor.From(new[] { 1.5f, -2.0f }, requiresGrad: true);
        List<Tensor> parameters = [wxh, whh, why];
        float[] xs = [1.0f, -0.5f, 2.0f];
        float[] ys = [0.5f, -1.0f, 0.25f];

        var h = Tensor.Zeros([2]);
        var loss = Tensor.Scalar(0.0f);
        for (var t = 0; t < xs.Length; t++)
        {
            h = ((wxh * xs[t]) + whh.MatMul(h)).Tanh();
            loss = loss + ((why * h).Sum() - ys[t]).Pow(2);
        }

        loss.Backward();

        AssertClose([18.589235f], loss, [], Rel);
        AssertClose([3.3704371f, -2.6863887f], wxh.Grad, [2], Rel);
        AssertClose([3.4606857f, -4.0632257f, -5.8063436f, 7.0801163f], whh.Grad, [2, 2], Rel);
        AssertClose([10.930744f, -10.301634f], why.Grad, [2], Rel);

        // Applied after loss.backward(), before optimizer.step()
        var totalNorm = ClipGrad.Norm(
            parameters,
            maxNorm: 0.25); // Tighter clipping for RNNs

        AssertClose([18.88145f], totalNorm, [], Rel);
        AssertClose([0.044626296f, -0.03556915f], wxh.Grad, [2], Rel);
        AssertClose([0.045821235f, -0.053799167f, -0.076878935f, 0.09374433f], whh.Grad, [2, 2], Rel);
        AssertClose([0.14472859f, -0.13639885f], why.Grad, [2], Rel);
    }

    // ------------------------------------------------------------------ 3.B

    [Fact]
    public void Section3B_PerLayerClipping()
    {
        // Target -2.5: the first layer's gradients are under max_norm, the second layer's are over it.
        var (parameters, _) = Model(target: -2.5f);
        List<Tensor>[] layers = [[parameters[0], parameters[1]], [parameters[2], parameters[3]]];
        var firstLayerBefore = layers[0].Select(p => p.Grad!.ToArray<float>()).ToArray();

        AssertClose([-0.0024780002f, -0.0049560005f, 0.0024780002f, 0.02148836f, 0.04297672f, -0.02148836f], parameters[0].Grad, [2, 3], Rel);
        AssertClose([-0.0024780002f, 0.02148836f], parameters[1].Grad, [2], Rel);
        AssertClose([0.4449668f, -0.44055426f], parameters[2].Grad, [2], Rel);
        AssertClose([-0.4459591f], parameters[3].Grad, [], Rel);

        var totals = new List<Tensor>();
        foreach (var layer in layers)
        {
            totals.Add(ClipGrad.Norm(
                layer,
                maxNorm: 0.5));
        }

        AssertClose([0.05722963f], totals[0], [], Rel);
        AssertClose([0.76874125f], totals[1], [], Rel);

        // Under the threshold the coefficient is clamped to 1: the first layer keeps its exact gradients.
        Assert.Equal(firstLayerBefore[0], parameters[0].Grad!.ToArray<float>());
        Assert.Equal(firstLayerBefore[1], parameters[1].Grad!.ToArray<float>());
        AssertClose([0.2894122f, -0.28654224f], parameters[2].Grad, [2], Rel);
        AssertClose([-0.2900576f], parameters[3].Grad, [], Rel);
    }

    // ------------------------------------------------------------------ 5.C

    /// <summary>Model() plus a parameter the loss does not use (its Grad stays null), then the noise loop.</summary>
    private static List<Tensor> NoisyGradients(long seed)
    {
        var (parameters, _) = Model();
        parameters.Add(Tensor.Zeros([3], requiresGrad: true));
        var generator = new Generator(seed);

        // Stabilizes training by adding noise
        foreach (var param in parameters)
        {
            if (param.Grad is not null)
            {
                param.Grad.AddInPlace(1e-4 * Tensor.RandnLike(param.Grad, generator: generator));
            }
        }

        return parameters;
    }

    [Fact]
    public void Section5C_GradientNoiseInjection()
    {
        var noisy = NoisyGradients(seed: 25);
        float[][] clean = [GradW1, GradB1, GradW2, GradB2];

        Assert.Null(noisy[4].Grad);
        for (var i = 0; i < clean.Length; i++)
        {
            var grad = noisy[i].Grad!;
            Assert.Equal(DType.Float32, grad.DType);
            Assert.False(grad.RequiresGrad);
            var values = grad.ToArray<float>();
            Assert.Equal(clean[i].Length, values.Length);
            var deltas = values.Zip(clean[i], (v, c) => Math.Abs((double)v - c)).ToArray();

            // N(0, 1) · 1e-4: every change is small (6 sigma, plus float32 rounding of values near 11)...
            Assert.All(deltas, d => Assert.True(d <= 6e-4 + 2e-6, $"parameter {i}: change {d} is not small"));
            // ...but the gradients did change.
            Assert.True(deltas.Max() > 1e-7, $"parameter {i}: gradient unchanged");
        }

        // The same seed gives the same noise; another seed another.
        var again = NoisyGradients(seed: 25);
        var other = NoisyGradients(seed: 26);
        for (var i = 0; i < clean.Length; i++)
        {
            Assert.Equal(noisy[i].Grad!.ToArray<float>(), again[i].Grad!.ToArray<float>());
        }

        Assert.NotEqual(
            noisy.Take(4).SelectMany(p => p.Grad!.ToArray<float>()).ToArray(),
            other.Take(4).SelectMany(p => p.Grad!.ToArray<float>()).ToArray());
    }

    // ------------------------------------------------------------------ 6.A

    [Fact]
    public void Section6A_DetectionMethods()
    {
        var (parameters, _) = Model();

        // Check for exploding gradients
        var nanDetected = parameters.Any(p => p.Grad!.IsNan().Any().Item() != 0);
        Assert.False(nanDetected);

        // Check for vanishing gradients
        var gradNorms = parameters.Select(p => p.Grad!.Norm()).ToList();
        var meanNorm = Tensor.From(gradNorms.Select(n => (float)n.Item()).ToArray()).Mean();

        Assert.Equal(
            [1.3598928f, 0.55517393f, 16.07113f, 11.445959f],
            gradNorms.Select(n => (float)n.Item()).ToArray(),
            new RelativeComparer(Rel));
        AssertClose([7.3580394f], meanNorm, [], Rel);
    }

    [Fact]
    public void Section6A_DetectionMethods_FindsNaNGradients()
    {
        // sqrt of a negative weight: the loss and that weight's gradient are NaN.
        var w = Tensor.From(new[] { 4.0f, -1.0f, 9.0f }, requiresGrad: true);
        var v = Tensor.From(new[] { 2.0f, 3.0f }, requiresGrad: true);
        List<Tensor> parameters = [w, v];
        var loss = w.Sqrt().Sum() + (v * v).Sum();
        loss.Backward();

        // Check for exploding gradients
        var nanDetected = parameters.Any(p => p.Grad!.IsNan().Any().Item() != 0);

        Assert.True(nanDetected);
        Assert.Equal([true, false], parameters.Select(p => p.Grad!.IsNan().Any().Item() != 0).ToArray());
        var wGrad = w.Grad!.ToArray<float>();
        AssertClose(0.25, wGrad[0], Rel);
        Assert.True(float.IsNaN(wGrad[1]));
        AssertClose(0.16666667f, wGrad[2], Rel);
        Assert.Equal([4.0f, 6.0f], v.Grad!.ToArray<float>());

        // Check for vanishing gradients: torch prints "Mean gradient norm: nan".
        var gradNorms = parameters.Select(p => p.Grad!.Norm()).ToList();
        var meanNorm = Tensor.From(gradNorms.Select(n => (float)n.Item()).ToArray()).Mean();
        Assert.True(double.IsNaN(meanNorm.Item()));
    }

    // ------------------------------------------------------------------ 6.B

    [Fact]
    public void Section6B_FlattenAllGradientsForAHistogram()
    {
        var (parameters, _) = Model();

        // Plot gradient flow: plt.hist(torch.cat([p.grad.flatten() for p in model.parameters()]))
        var all = Tensor.Cat(parameters.Select(p => p.Grad!.Flatten()).ToList());

        AssertClose(
            [-0.063600205f, -0.12720041f, 0.063600205f, 0.5515189f, 1.1030378f, -0.5515189f,
             -0.063600205f, 0.5515189f, 11.42049f, -11.307239f, -11.445959f],
            all,
            [11],
            Rel);
        Assert.False(all.RequiresGrad);
    }

    // ------------------------------------------------------------------ helpers

    /// <summary>The norm of all gradients viewed as one vector (the clip_grad_norm_ total).</summary>
    private static Tensor GlobalNorm(IEnumerable<Tensor> parameters) =>
        Tensor.Stack(parameters.Select(p => p.Grad!.Norm()).ToList()).Norm();

    private static void AssertClose(float[] expected, Tensor? actual, int[] shape, double rel) => Float32Assert.Close(expected, actual, shape, rel);

    private static void AssertClose(double expected, double actual, double rel) =>
        Assert.True(Math.Abs(expected - actual) <= (rel * Math.Abs(expected)) + 1e-7, $"expected {expected:R}, got {actual:R}");

    private sealed class RelativeComparer(double rel) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= (rel * Math.Abs(x)) + 1e-7;

        public int GetHashCode(float obj) => 0;
    }
}
