namespace DistGrad.Tests.Ops;

/// <summary>
/// Shared inputs and assertions of the layer-op tests (convolution, pooling, indexing, GELU). Inputs come
/// from a formula the PyTorch scripts that produced the expected numbers use too:
/// value i = ((i·a) mod m − b) / 4, dyadic rationals that float arithmetic sums exactly.
/// </summary>
internal static class LayerOpTestData
{
    public static double[] Pattern(int count, int a, int b, int m)
    {
        var values = new double[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = ((i * a % m) - b) / 4.0;
        }

        return values;
    }

    /// <summary>A Float64 tensor of the pattern, optionally a leaf that requires grad.</summary>
    public static Tensor Pattern(int[] shape, int a, int b, int m, bool requiresGrad = false)
    {
        var count = 1;
        foreach (var s in shape)
        {
            count *= s;
        }

        return Tensor.From(Pattern(count, a, b, m), shape, requiresGrad);
    }

    /// <summary>A seeded standard-normal Float64 leaf that requires grad.</summary>
    public static Tensor Randn(int[] shape, int seed) => Tensor.Randn(shape, DType.Float64, requiresGrad: true, generator: new Generator(seed));

    public static void AssertClose(double[] expected, Tensor actual, double tolerance = 1e-12)
    {
        var values = actual.ToArray<double>();
        Assert.Equal(expected.Length, values.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            if (!(Math.Abs(expected[i] - values[i]) <= tolerance * Math.Max(1, Math.Abs(expected[i]))))
            {
                Assert.Fail($"element {i}: expected {expected[i]:R}, got {values[i]:R}");
            }
        }
    }

    /// <summary>
    /// x ↦ d(f(x)²).Sum()/dx built with createGraph, so GradCheck of it checks second derivatives (PyTorch's
    /// gradgradcheck); squaring keeps linear ops' second derivatives from vanishing.
    /// </summary>
    public static Func<Tensor[], Tensor> GradOfSquare(Func<Tensor[], Tensor> f, int wrt) =>
        xs => Autograd.Grad([f(xs).Pow(2).Sum()], [xs[wrt]], createGraph: true)[0]!;
}
