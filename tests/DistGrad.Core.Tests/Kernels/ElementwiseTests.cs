namespace DistGrad.Tests.Kernels;

/// <summary>
/// Elementwise kernels on large tensors, contiguous (one long row, split by columns when split across
/// cores), broadcast rows and transposed views (split by rows), against values computed here element by
/// element. Costly ops (exp, tanh) split from a smaller size than cheap ones, so they run the parallel paths.
/// </summary>
public sealed class ElementwiseTests
{
    private const int Rows = 300, Cols = 257;

    [Fact]
    public void LargeContiguousProductsAreExact()
    {
        var (a, b) = (Values(Rows * Cols, 1), Values(Rows * Cols, 2));
        var product = (Tensor.From(a) * Tensor.From(b)).ToArray<float>();
        var sum = (Tensor.From(a) + Tensor.From(b)).ToArray<float>();
        for (var i = 0; i < a.Length; i++)
        {
            Assert.Equal(a[i] * b[i], product[i]);
            Assert.Equal(a[i] + b[i], sum[i]);
        }
    }

    [Fact]
    public void BroadcastRowsAndColumns()
    {
        var (m, row, col) = (Values(Rows * Cols, 3), Values(Cols, 4), Values(Rows, 5));
        var byRow = (Tensor.From(m).Reshape(Rows, Cols) + Tensor.From(row)).ToArray<float>();
        var byCol = (Tensor.From(m).Reshape(Rows, Cols) - Tensor.From(col).Reshape(Rows, 1)).ToArray<float>();
        var quotient = (Tensor.From(m).Reshape(Rows, Cols) / Tensor.From(col).Reshape(Rows, 1)).ToArray<float>();
        for (var i = 0; i < Rows; i++)
        {
            for (var j = 0; j < Cols; j++)
            {
                Assert.Equal(m[(i * Cols) + j] + row[j], byRow[(i * Cols) + j]);
                Assert.Equal(m[(i * Cols) + j] - col[i], byCol[(i * Cols) + j]);
                Assert.Equal(m[(i * Cols) + j] / col[i], quotient[(i * Cols) + j]);
            }
        }
    }

    [Fact]
    public void TransposedOperandsKeepRowMajorResults()
    {
        var (a, b) = (Values(Rows * Cols, 6), Values(Rows * Cols, 7));
        var at = Tensor.From(a).Reshape(Rows, Cols).T; // [Cols, Rows], column-major
        var bm = Tensor.From(b).Reshape(Cols, Rows);
        var result = (at * bm).ToArray<float>();
        var negated = (-at).ToArray<float>();
        for (var i = 0; i < Cols; i++)
        {
            for (var j = 0; j < Rows; j++)
            {
                Assert.Equal(a[(j * Cols) + i] * b[(i * Rows) + j], result[(i * Rows) + j]);
                Assert.Equal(-a[(j * Cols) + i], negated[(i * Rows) + j]);
            }
        }
    }

    [Fact]
    public void CostlyOpsSplitAcrossCoresKeepEveryValue()
    {
        var a = Values(Rows * Cols, 9);
        var contiguous = Tensor.From(a).Exp().ToArray<float>();
        var transposed = Tensor.From(a).Reshape(Rows, Cols).T.Tanh().ToArray<float>();
        for (var i = 0; i < Cols; i++)
        {
            for (var j = 0; j < Rows; j++)
            {
                Assert.Equal(float.Exp(a[(i * Rows) + j]), contiguous[(i * Rows) + j]);
                Assert.Equal(float.Tanh(a[(j * Cols) + i]), transposed[(i * Rows) + j]);
            }
        }
    }

    [Fact]
    public void ReluKeepsNaNAndMapsNegativeZeroToZero()
    {
        var values = Values(Rows * Cols, 8);
        values[5] = float.NaN;
        values[6] = -0f;
        values[7] = float.NegativeInfinity;
        var relu = Tensor.From(values).Relu().ToArray<float>();
        Assert.True(float.IsNaN(relu[5]));
        Assert.True(relu[6] == 0f && !float.IsNegative(relu[6]));
        Assert.Equal(0f, relu[7]);
        for (var i = 8; i < values.Length; i++)
        {
            Assert.Equal(values[i] > 0 ? values[i] : 0f, relu[i]);
        }
    }

    private static float[] Values(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
    }
}
