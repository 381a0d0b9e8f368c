using DistGrad.Optim;
using static DistGrad.Tests.Optim.OptimTestData;

namespace DistGrad.Tests.Optim;

/// <summary>
/// GradScaler against torch.cuda.amp.GradScaler's algorithm (PyTorch 1.13; its CPU build cannot run it, so
/// the expected values follow from grad_scaler.py and _amp_update_scale_ by hand): unscaling by a float32
/// reciprocal, skipping steps whose gradients hold inf or NaN, backoff, growth after growthInterval good
/// steps, the misuse errors, and the state dict.
/// </summary>
public class GradScalerTests
{
    private const double Rel32 = 1e-6;

    /// <summary>One iteration of the recipe on loss = Σ p·c, so that the gradient is scale·c.</summary>
    private static void Iterate(GradScaler scaler, Optimizer optimizer, Tensor p, float[] c, bool unscaleFirst = false)
    {
        optimizer.ZeroGrad();
        var loss = (p * Tensor.From(c)).Sum();
        scaler.Scale(loss).Backward();
        if (unscaleFirst)
        {
            scaler.Unscale(optimizer);
        }

        scaler.Step(optimizer);
        scaler.Update();
    }

    [Fact]
    public void ScaleSequenceWithSkippedSteps()
    {
        var p = Tensor.From(new[] { 1f, -2f }, requiresGrad: true);
        var sgd = new SGD([p], lr: 0.1);
        var scaler = new GradScaler(initScale: 8, growthInterval: 2);
        Assert.Equal(8, scaler.GetScale());

        // Good step: gradients 8·c come back to c; one good step of the two needed to grow.
        Iterate(scaler, sgd, p, [0.5f, 1f]);
        AssertClose([0.95, -2.1], Values(p), Rel32);
        AssertClose([0.5, 1], Values(p.Grad!), 0);
        Assert.Equal((8.0, 1), (scaler.GetScale(), scaler.GetGrowthTracker()));

        // Second good step in a row: the scale doubles and the count restarts.
        Iterate(scaler, sgd, p, [0.25f, -1f]);
        AssertClose([0.925, -2.0], Values(p), Rel32);
        Assert.Equal((16.0, 0), (scaler.GetScale(), scaler.GetGrowthTracker()));

        // inf in a gradient: the step is skipped, the gradients are still unscaled, the scale halves.
        Iterate(scaler, sgd, p, [float.PositiveInfinity, 1f]);
        AssertClose([0.925, -2.0], Values(p), Rel32);
        Assert.Equal([float.PositiveInfinity, 1f], p.Grad!.ToArray<float>());
        Assert.Equal((8.0, 0), (scaler.GetScale(), scaler.GetGrowthTracker()));

        // NaN likewise.
        Iterate(scaler, sgd, p, [float.NaN, 1f]);
        AssertClose([0.925, -2.0], Values(p), Rel32);
        Assert.Equal((4.0, 0), (scaler.GetScale(), scaler.GetGrowthTracker()));

        Iterate(scaler, sgd, p, [1f, 1f]);
        AssertClose([0.825, -2.1], Values(p), Rel32);
        Assert.Equal((4.0, 1), (scaler.GetScale(), scaler.GetGrowthTracker()));

        Iterate(scaler, sgd, p, [1f, 1f], unscaleFirst: true);
        AssertClose([0.725, -2.2], Values(p), Rel32);
        Assert.Equal((8.0, 0), (scaler.GetScale(), scaler.GetGrowthTracker()));
    }

    [Fact]
    public void UnscaleThenClipThenStep()
    {
        var p = Tensor.Zeros([2], requiresGrad: true);
        var sgd = new SGD([p], lr: 1);
        var scaler = new GradScaler(initScale: 1024);
        var loss = (p * Tensor.From(new[] { 3f, 4f })).Sum();
        var scaled = scaler.Scale(loss);
        Assert.Equal(0, scaled.Item());
        scaled.Backward();
        Assert.Equal([3072f, 4096f], p.Grad!.ToArray<float>());

        scaler.Unscale(sgd);
        Assert.Equal([3f, 4f], p.Grad!.ToArray<float>());
        var norm = ClipGrad.Norm([p], maxNorm: 1.0);
        Assert.Equal(5f, (float)norm.Item());

        // Step does not unscale a second time.
        scaler.Step(sgd);
        AssertClose([-0.6, -0.8], Values(p), Rel32);
        scaler.Update();
        Assert.Equal(1024, scaler.GetScale());
        Assert.Equal(1, scaler.GetGrowthTracker());
    }

    [Fact]
    public void ScaledLossIsTheLossTimesTheScale()
    {
        var scaler = new GradScaler(initScale: 4);
        var x = Tensor.Scalar(1.5f, requiresGrad: true);
        var scaled = scaler.Scale(x * 2);
        Assert.Equal(12, scaled.Item());
        Assert.Equal(DType.Float32, scaled.DType);
        Assert.Empty(scaled.Shape);
        scaled.Backward();
        Assert.Equal(8, x.Grad!.Item());
    }

    [Fact]
    public void UnscaleMultipliesByTheFloat32Reciprocal()
    {
        // inv_scale = scale.double().reciprocal().float(): 1/3 rounds to 0.3333333432674408 in float32,
        // and a float64 gradient is multiplied by exactly that.
        var p = Tensor.Zeros([1], DType.Float64, requiresGrad: true);
        var sgd = new SGD([p], lr: 1);
        var scaler = new GradScaler(initScale: 3);
        scaler.Scale(p.Sum()).Backward();
        Assert.Equal(3.0, p.Grad!.Item());
        scaler.Unscale(sgd);
        Assert.Equal(3.0 * (double)(float)(1.0 / 3.0), p.Grad!.Item());
    }

    [Fact]
    public void BackoffRoundsToFloat32()
    {
        var p = Tensor.Zeros([1], requiresGrad: true);
        var scaler = new GradScaler(backoffFactor: 0.3);
        Iterate(scaler, new SGD([p], lr: 1), p, [float.NaN]);
        Assert.Equal((double)(float)(65536 * 0.3), scaler.GetScale());
        Assert.NotEqual(65536 * 0.3, scaler.GetScale());
    }

    [Fact]
    public void ScaleDoesNotGrowPastFloat32()
    {
        var p = Tensor.Zeros([1], requiresGrad: true);
        var scaler = new GradScaler(initScale: float.MaxValue, growthInterval: 1);
        Iterate(scaler, new SGD([p], lr: 1), p, [1e-30f]);
        Assert.Equal(float.MaxValue, scaler.GetScale());
        Assert.Equal(0, scaler.GetGrowthTracker());
    }

    [Fact]
    public void OnlyTheOptimizerThatSawInfSkipsButTheScaleBacksOff()
    {
        var a = Tensor.Zeros([1], requiresGrad: true);
        var b = Tensor.Zeros([1], requiresGrad: true);
        var (optA, optB) = (new SGD([a], lr: 1), new SGD([b], lr: 1));
        var scaler = new GradScaler(initScale: 2);
        var loss = (a * 1f).Sum() + (b * float.PositiveInfinity).Sum();
        scaler.Scale(loss).Backward();
        scaler.Step(optA);
        scaler.Step(optB);
        scaler.Update();
        Assert.Equal(-1f, a.ToArray<float>()[0]);
        Assert.Equal(0f, b.ToArray<float>()[0]);
        Assert.Equal(1, scaler.GetScale());
    }

    [Fact]
    public void MisuseThrowsWithPyTorchsWording()
    {
        var p = Tensor.Zeros([1], requiresGrad: true);
        var sgd = new SGD([p], lr: 1);
        var scaler = new GradScaler();
        Assert.StartsWith("Attempted unscale_ but _scale is None.", Assert.Throws<InvalidOperationException>(() => scaler.Unscale(sgd)).Message);
        Assert.StartsWith("Attempted step but _scale is None.", Assert.Throws<InvalidOperationException>(() => scaler.Step(sgd)).Message);

        scaler.Scale(p.Sum()).Backward();
        Assert.Equal("No inf checks were recorded prior to update.", Assert.Throws<InvalidOperationException>(() => scaler.Update()).Message);
        scaler.Unscale(sgd);
        Assert.Equal(
            "unscale_() has already been called on this optimizer since the last update().",
            Assert.Throws<InvalidOperationException>(() => scaler.Unscale(sgd)).Message);
        scaler.Step(sgd);
        Assert.Equal("unscale_() is being called after step().", Assert.Throws<InvalidOperationException>(() => scaler.Unscale(sgd)).Message);
        Assert.Equal("step() has already been called since the last update().", Assert.Throws<InvalidOperationException>(() => scaler.Step(sgd)).Message);

        // After Update the next iteration may unscale again.
        scaler.Update();
        scaler.Unscale(sgd);
    }

    [Fact]
    public void BadFactorsThrow()
    {
        Assert.Contains("The growth factor must be > 1.0.", Assert.Throws<ArgumentOutOfRangeException>(() => new GradScaler(growthFactor: 1)).Message);
        Assert.Contains("The backoff factor must be < 1.0.", Assert.Throws<ArgumentOutOfRangeException>(() => new GradScaler(backoffFactor: 1)).Message);
        _ = new GradScaler(growthFactor: 1, enabled: false);
    }

    [Fact]
    public void DisabledScalerOnlyStepsTheOptimizer()
    {
        var p = Tensor.Zeros([1], requiresGrad: true);
        var sgd = new SGD([p], lr: 1);
        var scaler = new GradScaler(enabled: false);
        var loss = (p * 2f).Sum();
        Assert.Same(loss, scaler.Scale(loss));
        loss.Backward();
        scaler.Unscale(sgd);
        scaler.Unscale(sgd);
        Assert.Equal(2f, p.Grad!.ToArray<float>()[0]);
        scaler.Step(sgd);
        scaler.Update();
        Assert.Equal(-2f, p.ToArray<float>()[0]);
        Assert.Equal(1, scaler.GetScale());
        Assert.Empty(scaler.StateDict());
        scaler.LoadStateDict(new Dictionary<string, Tensor>());
    }

    [Fact]
    public void StateDictRoundTrip()
    {
        var p = Tensor.Zeros([1], requiresGrad: true);
        var sgd = new SGD([p], lr: 0.1);
        var scaler = new GradScaler(initScale: 16, growthInterval: 2);
        Iterate(scaler, sgd, p, [float.PositiveInfinity]);
        Iterate(scaler, sgd, p, [1f]);
        var saved = scaler.StateDict();
        Assert.Equal(["scale", "growth_factor", "backoff_factor", "growth_interval", "_growth_tracker"], saved.Keys);
        Assert.Equal(8, saved["scale"].Item());
        Assert.Equal(DType.Float64, saved["scale"].DType);
        Assert.Equal(DType.Int64, saved["growth_interval"].DType);
        Assert.Equal(2, saved["growth_interval"].Item());
        Assert.Equal(1, saved["_growth_tracker"].Item());

        var restored = new GradScaler();
        restored.LoadStateDict(saved);
        Assert.Equal((8.0, 1, 2), (restored.GetScale(), restored.GetGrowthTracker(), restored.GrowthInterval));

        // One more good step completes the interval: the scale grows to 16.
        Iterate(restored, new SGD([p], lr: 0.1), p, [1f]);
        Assert.Equal((16.0, 0), (restored.GetScale(), restored.GetGrowthTracker()));
    }

    [Fact]
    public void LoadingAnEmptyStateThrows()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new GradScaler().LoadStateDict(new Dictionary<string, Tensor>()));
        Assert.StartsWith("The source state dict is empty", e.Message);
        var missing = new Dictionary<string, Tensor> { ["scale"] = Tensor.Scalar(2.0) };
        Assert.Contains("Missing key \"growth_factor\"", Assert.Throws<ArgumentException>(() => new GradScaler().LoadStateDict(missing)).Message);
    }
}
