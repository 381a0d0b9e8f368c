namespace DistGrad.Tests;

/// <summary>Float32 tensor comparisons shared by tests that check values PyTorch printed.</summary>
internal static class Float32Assert
{
    /// <summary>
    /// <paramref name="actual"/> is a Float32 tensor of <paramref name="shape"/> whose elements are within
    /// <paramref name="rel"/> of <paramref name="expected"/>, with a floor of a few float32 ulps at 1 for values that are exactly 0.
    /// </summary>
    public static void Close(float[] expected, Tensor? actual, int[] shape, double rel)
    {
        Assert.NotNull(actual);
        Assert.Equal(DType.Float32, actual.DType);
        Assert.Equal(shape, actual.Shape);
        var values = actual.ToArray<float>();
        Assert.Equal(expected.Length, values.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(
                Math.Abs(expected[i] - values[i]) <= (rel * Math.Abs(expected[i])) + 1e-7,
                $"element {i}: expected {expected[i]:R}, got {values[i]:R}; all: [{string.Join(", ", values.Select(v => v.ToString("R")))}]");
        }
    }
}
