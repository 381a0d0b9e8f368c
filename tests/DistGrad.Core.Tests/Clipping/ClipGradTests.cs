namespace DistGrad.Tests.Clipping;

/// <summary>
/// ClipGrad.Norm / ClipGrad.Value against torch.nn.utils.clip_grad_norm_ / clip_grad_value_ (PyTorch 1.13).
/// Every expected number below was printed by PyTorch 1.13 on the same literal gradients.
/// </summary>
public class ClipGradTests
{
    private const double Rel32 = 1e-6;
    private const double Rel64 = 1e-12;

    // The gradients of four parameters of different shapes: [2, 3], [4], [] and [2, 1, 2].
    private static readonly float[,] G1 = { { 0.5f, -1.25f, 2.0f }, { 3.5f, -0.75f, 0.125f } };
    private static readonly float[] G2 = [-2.5f, 1.0f, 0.0f, 4.25f];
    private const float G3 = -1.5f;
    private static readonly float[,,] G4 = { { { 0.3f, -0.7f } }, { { 1.1f, -0.2f } } };

    /// <summary>Four leaf parameters (zeros, requiring grad) whose Grad holds G1..G4.</summary>
    private static List<Tensor> Parameters()
    {
        var gradients = new[] { Tensor.From(G1), Tensor.From(G2), Tensor.Scalar(G3), Tensor.From(G4) };
        return gradients.Select(WithGrad).ToList();
    }

    private static Tensor WithGrad(Tensor grad)
    {
        var p = Tensor.ZerosLike(grad, requiresGrad: true);
        p.Grad = grad;
        return p;
    }

    private static Tensor Float64Grad1() => Tensor.From(new[] { 0.1, -0.2, 1.0 / 3.0 });

    private static Tensor Float64Grad2() => Tensor.From(new[,] { { 2.5, -0.4 }, { 0.7, 1.9 } });

    // ------------------------------------------------------------------ norm types, clipping applies

    /// <summary>clip_grad_norm_(params, 2.0, norm_type): total norm and the four clipped gradients.</summary>
    public static TheoryData<double, float, float[], float[], float[], float[]> ClippedCases() => new()
    {
        {
            1.0, 19.675f,
            [0.05082592f, -0.1270648f, 0.20330368f, 0.35578144f, -0.07623888f, 0.01270648f],
            [-0.2541296f, 0.10165184f, 0.0f, 0.4320203f],
            [-0.15247776f],
            [0.030495552f, -0.071156286f, 0.111817025f, -0.020330368f]
        },
        {
            2.0, 6.9305935f,
            [0.14428777f, -0.3607194f, 0.57715106f, 1.0100143f, -0.21643165f, 0.03607194f],
            [-0.7214388f, 0.28857553f, 0.0f, 1.226446f],
            [-0.4328633f],
            [0.08657266f, -0.20200287f, 0.3174331f, -0.057715107f]
        },
        {
            3.0, 5.3350663f,
            [0.18743905f, -0.46859765f, 0.7497562f, 1.3120733f, -0.28115857f, 0.046859764f],
            [-0.9371953f, 0.3748781f, 0.0f, 1.5932319f],
            [-0.56231713f],
            [0.11246344f, -0.26241466f, 0.4123659f, -0.074975625f]
        },
        {
            0.5, 227.33409f,
            [0.0043988125f, -0.010997031f, 0.01759525f, 0.030791689f, -0.006598219f, 0.0010997031f],
            [-0.021994062f, 0.008797625f, 0.0f, 0.037389908f],
            [-0.013196438f],
            [0.0026392876f, -0.0061583375f, 0.009677388f, -0.001759525f]
        },
        {
            double.PositiveInfinity, 4.25f,
            [0.23529406f, -0.58823514f, 0.94117624f, 1.6470584f, -0.3529411f, 0.058823515f],
            [-1.1764703f, 0.47058812f, 0.0f, 1.9999995f],
            [-0.7058822f],
            [0.14117645f, -0.3294117f, 0.51764697f, -0.09411763f]
        },
        {
            // norm_type 0 counts non-zeros per tensor, then counts the non-zero counts.
            0.0, 4.0f,
            [0.24999994f, -0.6249999f, 0.99999976f, 1.7499995f, -0.3749999f, 0.062499985f],
            [-1.2499998f, 0.49999988f, 0.0f, 2.1249995f],
            [-0.7499998f],
            [0.14999998f, -0.3499999f, 0.5499999f, -0.09999998f]
        },
    };

    [Theory]
    [MemberData(nameof(ClippedCases))]
    public void Norm_ClipsAllGradientsTogether(double normType, float total, float[] g1, float[] g2, float[] g3, float[] g4)
    {
        var ps = Parameters();

        var result = ClipGrad.Norm(ps, maxNorm: 2.0, normType: normType);

        Assert.Equal(DType.Float32, result.DType);
        Assert.Empty(result.Shape);
        Assert.False(result.RequiresGrad);
        AssertClose(total, result.Item(), Rel32);
        AssertClose(g1, ps[0].Grad, [2, 3], Rel32);
        AssertClose(g2, ps[1].Grad, [4], Rel32);
        AssertClose(g3, ps[2].Grad, [], Rel32);
        AssertClose(g4, ps[3].Grad, [2, 1, 2], Rel32);
    }

    [Fact]
    public void Norm_DefaultsToL2WithoutErrorOnNonfinite()
    {
        var ps = Parameters();

        var result = ClipGrad.Norm(ps, 2.0);

        AssertClose(6.9305935f, result.Item(), Rel32);
        AssertClose([-0.4328633f], ps[2].Grad, [], Rel32);
    }

    [Fact]
    public void Norm_ScalesTheGradientTensorsInPlace()
    {
        var ps = Parameters();
        var before = ps.Select(p => p.Grad!).ToArray();
        var alias = before[1].Flatten();

        ClipGrad.Norm(ps, maxNorm: 2.0);

        // torch mutates p.grad itself: the same objects (and views of them) see the clipped values.
        for (var i = 0; i < ps.Count; i++)
        {
            Assert.Same(before[i], ps[i].Grad);
            Assert.False(ps[i].Grad!.RequiresGrad);
        }

        AssertClose([-0.7214388f, 0.28857553f, 0.0f, 1.226446f], alias, [4], Rel32);
    }

    [Fact]
    public void Norm_AfterClipping_TotalNormIsMaxNorm()
    {
        var ps = Parameters();
        ClipGrad.Norm(ps, maxNorm: 2.0);

        // A second call measures the clipped gradients: torch gives 1.9999996 (2 · 6.9305935 / (6.9305935 + 1e-6)).
        var again = ClipGrad.Norm(ps, maxNorm: 100.0);
        AssertClose(1.9999996f, again.Item(), Rel32);
    }

    // ------------------------------------------------------------------ below / at the threshold

    [Theory]
    [InlineData(2.0, 6.9305935f)]
    [InlineData(double.PositiveInfinity, 4.25f)]
    [InlineData(1.0, 19.675f)]
    public void Norm_BelowMaxNorm_LeavesGradientsUnchanged(double normType, float total)
    {
        var ps = Parameters();

        var result = ClipGrad.Norm(ps, maxNorm: 100.0, normType: normType);

        // max_norm / (total + 1e-6) > 1 is clamped to 1: the gradients keep their exact values.
        AssertClose(total, result.Item(), Rel32);
        Assert.Equal([0.5f, -1.25f, 2.0f, 3.5f, -0.75f, 0.125f], ps[0].Grad!.ToArray<float>());
        Assert.Equal(G2, ps[1].Grad!.ToArray<float>());
        Assert.Equal([G3], ps[2].Grad!.ToArray<float>());
        Assert.Equal([0.3f, -0.7f, 1.1f, -0.2f], ps[3].Grad!.ToArray<float>());
    }

    [Fact]
    public void Norm_ExactlyAtMaxNorm_ScalesByTheEpsilonTerm()
    {
        var p = WithGrad(Tensor.From(new[] { 3.0f, 4.0f }));

        var result = ClipGrad.Norm([p], maxNorm: 5.0);

        // torch: total 5, coef 5 / (5 + 1e-6) < 1, so the gradients shrink by a few ulps.
        Assert.Equal(5.0, result.Item());
        var grad = p.Grad!.ToArray<float>();
        Assert.True(grad[0] < 3.0f && grad[1] < 4.0f, $"expected a slight shrink, got [{grad[0]:R}, {grad[1]:R}]");
        AssertClose([2.9999993f, 3.999999f], p.Grad, [2], 2.5e-7);
    }

    [Fact]
    public void Norm_AllZeroGradients_StayZeroWithoutDividingByZero()
    {
        var p = WithGrad(Tensor.Zeros([2]));

        var result = ClipGrad.Norm([p], maxNorm: 5.0);

        Assert.Equal(0.0, result.Item());
        Assert.Equal([0.0f, 0.0f], p.Grad!.ToArray<float>());
    }

    // ------------------------------------------------------------------ skipped and missing gradients

    [Fact]
    public void Norm_SkipsParametersWithoutGrad()
    {
        var ps = Parameters();
        ps[1].Grad = null;
        ps[3].Grad = null;

        var result = ClipGrad.Norm(ps, maxNorm: 1.0);

        AssertClose(4.5706267f, result.Item(), Rel32);
        AssertClose([0.10939416f, -0.27348542f, 0.43757665f, 0.7657591f, -0.16409124f, 0.02734854f], ps[0].Grad, [2, 3], Rel32);
        AssertClose([-0.3281825f], ps[2].Grad, [], Rel32);
        Assert.Null(ps[1].Grad);
        Assert.Null(ps[3].Grad);
    }

    [Fact]
    public void Norm_NoParameters_ReturnsFloatZero()
    {
        var result = ClipGrad.Norm([], maxNorm: 1.0);

        Assert.Equal("tensor(0.)", result.ToString());
        Assert.Equal(DType.Float32, result.DType);
        Assert.Empty(result.Shape);
    }

    [Fact]
    public void Norm_NoGradients_ReturnsFloatZero()
    {
        var ps = new List<Tensor>
        {
            Tensor.Zeros([3], requiresGrad: true),
            Tensor.Zeros([2], DType.Float64, requiresGrad: true),
        };

        var result = ClipGrad.Norm(ps, maxNorm: 1.0, normType: double.PositiveInfinity, errorIfNonfinite: true);

        Assert.Equal("tensor(0.)", result.ToString());
        Assert.Equal(DType.Float32, result.DType);
        Assert.All(ps, p => Assert.Null(p.Grad));
    }

    [Fact]
    public void Norm_AcceptsALazySequenceOnce()
    {
        var ps = Parameters();

        var result = ClipGrad.Norm(ps.Where(_ => true), maxNorm: 2.0);

        AssertClose(6.9305935f, result.Item(), Rel32);
        AssertClose([-0.4328633f], ps[2].Grad, [], Rel32);
    }

    // ------------------------------------------------------------------ non-finite gradients

    [Theory]
    [InlineData(float.NaN, 2.0)]
    [InlineData(float.PositiveInfinity, 2.0)]
    [InlineData(float.NegativeInfinity, 2.0)]
    [InlineData(float.NaN, 1.0)]
    [InlineData(float.PositiveInfinity, 3.0)]
    [InlineData(float.NaN, 0.5)]
    [InlineData(float.NaN, double.PositiveInfinity)]
    [InlineData(float.PositiveInfinity, double.PositiveInfinity)]
    public void Norm_NonfiniteWithErrorIfNonfinite_ThrowsAndLeavesGradients(float bad, double normType)
    {
        var a = WithGrad(Tensor.From(new[] { 1.0f, bad, 2.0f }));
        var b = WithGrad(Tensor.From(new[] { 3.0f, -4.0f }));

        var error = Assert.Throws<InvalidOperationException>(
            () => ClipGrad.Norm([a, b], maxNorm: 1.0, normType: normType, errorIfNonfinite: true));

        // torch: "The total norm of order 2.0 for gradients from `parameters` is non-finite, so it cannot be clipped. ..."
        Assert.Contains("non-finite", error.Message);
        // torch raises before scaling anything.
        AssertSame([1.0f, bad, 2.0f], a.Grad!.ToArray<float>());
        Assert.Equal([3.0f, -4.0f], b.Grad!.ToArray<float>());
    }

    [Theory]
    [InlineData(2.0)]
    [InlineData(1.0)]
    [InlineData(3.0)]
    [InlineData(0.5)]
    [InlineData(double.PositiveInfinity)]
    public void Norm_NaNGradientWithoutError_TurnsEveryGradientNaN(double normType)
    {
        var a = WithGrad(Tensor.From(new[] { 1.0f, float.NaN, 2.0f }));
        var b = WithGrad(Tensor.From(new[] { 3.0f, -4.0f }));

        var result = ClipGrad.Norm([a, b], maxNorm: 1.0, normType: normType);

        // torch: total nan; clamp(nan, max=1) is nan, so every gradient becomes nan.
        Assert.True(double.IsNaN(result.Item()), $"total norm {result.Item()}");
        Assert.All(a.Grad!.ToArray<float>(), v => Assert.True(float.IsNaN(v)));
        Assert.All(b.Grad!.ToArray<float>(), v => Assert.True(float.IsNaN(v)));
    }

    [Theory]
    [InlineData(float.PositiveInfinity, 2.0)]
    [InlineData(float.NegativeInfinity, 2.0)]
    [InlineData(float.PositiveInfinity, 1.0)]
    [InlineData(float.NegativeInfinity, 3.0)]
    [InlineData(float.PositiveInfinity, 0.5)]
    [InlineData(float.PositiveInfinity, double.PositiveInfinity)]
    [InlineData(float.NegativeInfinity, double.PositiveInfinity)]
    public void Norm_InfiniteGradientWithoutError_ZeroesFiniteAndNaNsInfinite(float bad, double normType)
    {
        var a = WithGrad(Tensor.From(new[] { 1.0f, bad, 2.0f }));
        var b = WithGrad(Tensor.From(new[] { 3.0f, -4.0f }));

        var result = ClipGrad.Norm([a, b], maxNorm: 1.0, normType: normType);

        // torch: total inf; coef 1 / inf = 0, so finite entries become ±0 and inf · 0 = nan:
        // a.grad = tensor([0., nan, 0.]), b.grad = tensor([0., -0.]).
        Assert.Equal(double.PositiveInfinity, result.Item());
        AssertSame([0.0f, float.NaN, 0.0f], a.Grad!.ToArray<float>());
        AssertSame([0.0f, -0.0f], b.Grad!.ToArray<float>());
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void Norm_NormTypeZeroCountsNonfiniteAsNonZero(float bad)
    {
        var a = WithGrad(Tensor.From(new[] { 1.0f, bad, 2.0f }));
        var b = WithGrad(Tensor.From(new[] { 3.0f, -4.0f }));

        var result = ClipGrad.Norm([a, b], maxNorm: 1.0, normType: 0.0, errorIfNonfinite: true);

        // torch: norms 3 and 2, total = count of non-zero norms = 2 (finite), coef 1 / (2 + 1e-6).
        AssertClose(2.0f, result.Item(), Rel32);
        var ga = a.Grad!.ToArray<float>();
        AssertClose(0.49999976f, ga[0], Rel32);
        AssertClose(0.9999995f, ga[2], Rel32);
        Assert.Equal(float.IsNaN(bad), float.IsNaN(ga[1]));
        Assert.Equal(float.IsPositiveInfinity(bad), float.IsPositiveInfinity(ga[1]));
        AssertClose([1.4999993f, -1.999999f], b.Grad, [2], Rel32);
    }

    // ------------------------------------------------------------------ Float64

    [Theory]
    [InlineData(2.0, 3.2666666666666666,
        new[] { 0.04591835329030002, -0.09183670658060004, 0.15306117763433338 },
        new[] { 1.1479588322575005, -0.1836734131612001, 0.3214284730321001, 0.8724487125157003 })]
    [InlineData(1.0, 6.133333333333333,
        new[] { 0.024456517751654718, -0.048913035503309436, 0.08152172583884905 },
        new[] { 0.6114129437913679, -0.09782607100661887, 0.171195624261583, 0.4646738372814396 })]
    [InlineData(3.0, 2.841269560544836,
        new[] { 0.05279328272462596, -0.10558656544925192, 0.1759776090820865 },
        new[] { 1.319832068115649, -0.21117313089850384, 0.36955297907238166, 1.003072371767893 })]
    [InlineData(0.5, 33.286563624824396,
        new[] { 0.0045063226467093355, -0.009012645293418671, 0.015021075489031118 },
        new[] { 0.11265806616773338, -0.018025290586837342, 0.031544258526965345, 0.08562013028747736 })]
    [InlineData(double.PositiveInfinity, 2.5,
        new[] { 0.05999997600000961, -0.11999995200001921, 0.199999920000032 },
        new[] { 1.4999994000002401, -0.23999990400003843, 0.4199998320000672, 1.1399995440001824 })]
    public void Norm_Float64Gradients(double normType, double total, double[] g1, double[] g2)
    {
        var a = WithGrad(Float64Grad1());
        var b = WithGrad(Float64Grad2());

        var result = ClipGrad.Norm([a, b], maxNorm: 1.5, normType: normType);

        Assert.Equal(DType.Float64, result.DType);
        AssertClose(total, result.Item(), Rel64);
        Assert.Equal(DType.Float64, a.Grad!.DType);
        AssertClose(g1, a.Grad.ToArray<double>(), Rel64);
        AssertClose(g2, b.Grad!.ToArray<double>(), Rel64);
    }

    [Fact]
    public void Norm_MixedFloat32AndFloat64Gradients_PromotesLikeTorchStack()
    {
        var a = WithGrad(Tensor.From(new[] { 3.0f, 4.0f }));
        var b = WithGrad(Float64Grad1());

        var result = ClipGrad.Norm([a, b], maxNorm: 1.0);

        // torch.stack([float32 norm, float64 norm]) promotes: total_norm is float64 5.016085237624169,
        // and each gradient keeps its own dtype.
        Assert.Equal(DType.Float64, result.DType);
        AssertClose(5.016085237624169, result.Item(), Rel64);
        Assert.Equal(DType.Float32, a.Grad!.DType);
        Assert.Equal(DType.Float64, b.Grad!.DType);
        AssertClose([0.59807587f, 0.79743445f], a.Grad, [2], Rel32);
        AssertClose([0.01993586139925781, -0.03987172279851562, 0.06645287133085936], b.Grad.ToArray<double>(), 1e-9);
    }

    // ------------------------------------------------------------------ ClipGrad.Value

    [Fact]
    public void Value_ClampsEveryGradientIntoTheRange()
    {
        var ps = Parameters();

        ClipGrad.Value(ps, clipValue: 1.0);

        Assert.Equal([0.5f, -1.0f, 1.0f, 1.0f, -0.75f, 0.125f], ps[0].Grad!.ToArray<float>());
        Assert.Equal([-1.0f, 1.0f, 0.0f, 1.0f], ps[1].Grad!.ToArray<float>());
        Assert.Equal([-1.0f], ps[2].Grad!.ToArray<float>());
        Assert.Equal([0.3f, -0.7f, 1.0f, -0.2f], ps[3].Grad!.ToArray<float>());
        Assert.Equal([2, 3], ps[0].Grad!.Shape);
        Assert.Equal([2, 1, 2], ps[3].Grad!.Shape);
    }

    [Fact]
    public void Value_SmallClipValue()
    {
        var ps = Parameters();
        var before = ps.Select(p => p.Grad).ToArray();

        ClipGrad.Value(ps, clipValue: 0.25);

        Assert.Equal([0.25f, -0.25f, 0.25f, 0.25f, -0.25f, 0.125f], ps[0].Grad!.ToArray<float>());
        Assert.Equal([-0.25f, 0.25f, 0.0f, 0.25f], ps[1].Grad!.ToArray<float>());
        Assert.Equal([-0.25f], ps[2].Grad!.ToArray<float>());
        Assert.Equal([0.25f, -0.25f, 0.25f, -0.2f], ps[3].Grad!.ToArray<float>());
        for (var i = 0; i < ps.Count; i++)
        {
            Assert.Same(before[i], ps[i].Grad);
        }
    }

    [Fact]
    public void Value_Float64()
    {
        var a = WithGrad(Float64Grad1());
        var b = WithGrad(Float64Grad2());

        ClipGrad.Value([a, b], clipValue: 0.15);

        Assert.Equal([0.1, -0.15, 0.15], a.Grad!.ToArray<double>());
        Assert.Equal([0.15, -0.15, 0.15, 0.15], b.Grad!.ToArray<double>());
        Assert.Equal(DType.Float64, a.Grad.DType);
    }

    [Fact]
    public void Value_SkipsMissingGradientsAndKeepsNaN()
    {
        var a = WithGrad(Tensor.From(new[] { 1.0f, float.NaN, -5.0f, float.NegativeInfinity }));
        var none = Tensor.Zeros([2], requiresGrad: true);

        ClipGrad.Value([a, none], clipValue: 2.0);

        // torch: clamp_ keeps nan and clamps -inf: tensor([1., nan, -2., -2.]).
        AssertSame([1.0f, float.NaN, -2.0f, -2.0f], a.Grad!.ToArray<float>());
        Assert.Null(none.Grad);
    }

    // ------------------------------------------------------------------ helpers

    private static void AssertClose(float[] expected, Tensor? actual, int[] shape, double rel) => Float32Assert.Close(expected, actual, shape, rel);

    private static void AssertClose(double expected, double actual, double rel)
    {
        var tolerance = (rel * Math.Abs(expected)) + 1e-30;
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"expected {expected:R}, got {actual:R} (relative tolerance {rel})");
    }

    private static void AssertClose(double[] expected, double[] actual, double rel)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            var tolerance = (rel * Math.Abs(expected[i])) + 1e-15;
            Assert.True(
                Math.Abs(expected[i] - actual[i]) <= tolerance,
                $"element {i}: expected {expected[i]:R}, got {actual[i]:R}; all: [{string.Join(", ", actual.Select(v => v.ToString("R")))}]");
        }
    }

    /// <summary>Bitwise-meaningful equality: NaN matches NaN, and the sign of zero must match.</summary>
    private static void AssertSame(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            var ok = float.IsNaN(expected[i])
                ? float.IsNaN(actual[i])
                : expected[i] == actual[i] && float.IsNegative(expected[i]) == float.IsNegative(actual[i]);
            Assert.True(ok, $"element {i}: expected {expected[i]:R}, got {actual[i]:R}; all: [{string.Join(", ", actual.Select(v => v.ToString("R")))}]");
        }
    }
}
