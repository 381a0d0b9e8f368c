namespace DistGrad.Tests.Kernels;

/// <summary>Sums over leading dims (a bias gradient's sum over the batch) take a row-at-a-time path; checked against the math.</summary>
public class ReduceLeadingTests
{
    [Theory]
    [InlineData(1, 7)]
    [InlineData(7, 1)]
    [InlineData(33, 257)]
    [InlineData(257, 33)]
    public void Sum_over_the_first_dim_matches_a_double_precision_sum(int rows, int columns)
    {
        var x = Tensor.Randn([rows, columns], generator: new Generator(rows + columns));
        var values = x.ToArray<float>();
        var sum = x.Sum(0).ToArray<float>();
        for (var c = 0; c < columns; c++)
        {
            var expected = 0.0;
            for (var r = 0; r < rows; r++)
            {
                expected += values[(r * columns) + c];
            }

            Assert.Equal(expected, sum[c], 1e-5 * Math.Max(1, Math.Abs(expected)) + (1e-6 * rows));
        }
    }

    [Fact]
    public void Several_leading_dims_keep_dims_and_float64_reduce_alike()
    {
        var x = Tensor.Randn([3, 5, 4], dtype: DType.Float64, generator: new Generator(2));
        var v = x.ToArray<double>();
        var kept = x.Sum([0, 1], keepDim: true);
        Assert.Equal(new[] { 1, 1, 4 }, kept.Shape);
        var s = kept.ToArray<double>();
        for (var c = 0; c < 4; c++)
        {
            var expected = 0.0;
            for (var r = 0; r < 15; r++)
            {
                expected += v[(r * 4) + c];
            }

            Assert.Equal(expected, s[c], 1e-12);
        }
    }

    [Fact]
    public void A_sliced_input_takes_the_general_path_with_the_same_result()
    {
        var x = Tensor.Randn([6, 10], generator: new Generator(5));
        var slice = x[.., 2..8];
        Assert.False(slice.IsContiguous);
        Assert.Equal(slice.Contiguous().Sum(0).ToArray<float>(), slice.Sum(0).ToArray<float>(), new FloatTolerance(1e-6f));
    }

    [Fact]
    public void Argmax_over_the_first_dim_keeps_torchs_nan_and_tie_rules()
    {
        // torch.tensor([[1., nan, -0.], [2., 3., 0.]]).argmax(0) -> tensor([1, 0, 0])
        var x = Tensor.From(new float[,] { { 1, float.NaN, -0f }, { 2, 3, 0 } });
        Assert.Equal(new long[] { 1, 0, 0 }, x.ArgMax(0).ToArray<long>());
    }

    private sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float a, float b) => Math.Abs(a - b) <= tolerance;

        public int GetHashCode(float value) => 0;
    }
}
