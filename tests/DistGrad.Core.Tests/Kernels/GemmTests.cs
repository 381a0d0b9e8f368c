using DistGrad.Kernels.Cpu.Gemm;

namespace DistGrad.Tests.Kernels;

/// <summary>
/// The packed GEMM against a naive triple loop in double precision. Sizes straddle the register tile
/// (1, 7, 33, 257) and the cache blocks (k past one block of 256), and operands come transposed, sliced
/// with a step, or expanded, so every packing path and edge tile runs.
/// </summary>
public sealed class GemmTests
{
    public static TheoryData<int, int, int> Sizes => new()
    {
        { 1, 1, 1 },
        { 1, 7, 1 },
        { 7, 7, 7 },
        { 7, 1, 33 },
        { 33, 33, 33 },
        { 13, 257, 9 },
        { 257, 33, 65 },
        { 65, 300, 257 },
        { 12, 32, 16 },
        { 128, 784, 256 },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Float32ProductsMatchTheDefinition(int m, int k, int n)
    {
        var (a, b) = (Values(m * k, seed: m), Values(k * n, seed: n + 1));
        var c = Tensor.From(a).Reshape(m, k).Mm(Tensor.From(b).Reshape(k, n));
        AssertProduct(a, [k, 1], b, [n, 1], m, k, n, c.ToArray<float>(), 1e-5);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Float64ProductsMatchTheDefinition(int m, int k, int n)
    {
        var (a, b) = (Values(m * k, seed: m + 2), Values(k * n, seed: n + 3));
        var c = Tensor.From(ToDouble(a)).Reshape(m, k).Mm(Tensor.From(ToDouble(b)).Reshape(k, n));
        Assert.Equal(DType.Float64, c.DType);
        AssertProduct(a, [k, 1], b, [n, 1], m, k, n, c.ToArray<double>(), 1e-13);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void TransposedOperandsAreReadInPlace(int m, int k, int n)
    {
        // aᵀ is stored [k, m] and bᵀ is stored [n, k]: both arrive as views with a unit row stride.
        var (at, bt) = (Values(k * m, seed: 5), Values(n * k, seed: 6));
        var c = Tensor.From(at).Reshape(k, m).T.MatMul(Tensor.From(bt).Reshape(n, k).T);
        AssertProduct(at, [1, m], bt, [1, k], m, k, n, c.ToArray<float>(), 1e-5);
    }

    [Fact]
    public void SlicedAndExpandedOperands()
    {
        // Every other column of a [9, 2·20] matrix (row stride 40, column stride 2) times a broadcast row.
        const int m = 9, k = 20, n = 37;
        var a = Values(m * k * 2, seed: 7);
        var row = Values(n, seed: 8);
        var sliced = Tensor.From(a).Reshape(m, k * 2).Slice(1, step: 2);
        var expanded = Tensor.From(row).Reshape(1, n).Expand(k, n);
        var c = sliced.Mm(expanded);
        AssertProduct(a, [k * 2, 2], row, [0, 1], m, k, n, c.ToArray<float>(), 1e-5);
    }

    [Fact]
    public void BatchedProductsUseEachBatchsOwnOperands()
    {
        const int batch = 5, m = 7, k = 33, n = 18;
        var (a, bt) = (Values(batch * m * k, seed: 9), Values(batch * n * k, seed: 10));
        // b is given as the transpose of a [batch, n, k] tensor, so its batches are strided views too.
        var c = Tensor.From(a).Reshape(batch, m, k).Bmm(Tensor.From(bt).Reshape(batch, n, k).Transpose(1, 2)).ToArray<float>();
        for (var i = 0; i < batch; i++)
        {
            AssertProduct(a[(i * m * k)..], [k, 1], bt[(i * n * k)..], [1, k], m, k, n, c[(i * m * n)..((i + 1) * m * n)], 1e-5);
        }
    }

    [Theory]
    [InlineData(nameof(GemmIsa.Vector512))]
    [InlineData(nameof(GemmIsa.Vector256))]
    [InlineData(nameof(GemmIsa.Scalar))]
    public unsafe void EveryMicroKernelAgrees(string kernel)
    {
        var isa = Enum.Parse<GemmIsa>(kernel);
        if (isa == GemmIsa.Vector512 && !System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated)
        {
            return;
        }

        foreach (var (m, k, n) in new[] { (1, 1, 1), (7, 7, 7), (33, 300, 65), (257, 7, 33) })
        {
            var (a, b) = (Values(m * k, seed: 11), Values(k * n, seed: 12));
            var c = new float[m * n];
            var c64 = new double[m * n];
            var (a64, b64) = (ToDouble(a), ToDouble(b));
            fixed (float* pa = a, pb = b, pc = c)
            {
                // a read transposed from its row-major storage exercises the strided packing too.
                PackedGemm.Multiply(new MatrixRef<float>(pa, k, 1), new MatrixRef<float>(pb, n, 1), pc, n, m, n, k, accumulate: false, parallel: true, isa);
            }

            fixed (double* pa = a64, pb = b64, pc = c64)
            {
                PackedGemm.Multiply(new MatrixRef<double>(pa, k, 1), new MatrixRef<double>(pb, n, 1), pc, n, m, n, k, accumulate: false, parallel: false, isa);
            }

            AssertProduct(a, [k, 1], b, [n, 1], m, k, n, c, 1e-5);
            AssertProduct(a, [k, 1], b, [n, 1], m, k, n, c64, 1e-13);
        }
    }

    [Fact]
    public unsafe void AccumulateAddsOntoC()
    {
        const int m = 14, k = 5, n = 35;
        var (a, b) = (Values(m * k, seed: 13), Values(k * n, seed: 14));
        var c = Enumerable.Repeat(1f, m * n).ToArray();
        fixed (float* pa = a, pb = b, pc = c)
        {
            PackedGemm.Multiply(new MatrixRef<float>(pa, k, 1), new MatrixRef<float>(pb, n, 1), pc, n, m, n, k, accumulate: true, parallel: false);
        }

        AssertProduct(a, [k, 1], b, [n, 1], m, k, n, c.Select(v => v - 1f).ToArray(), 1e-5);
    }

    [Fact]
    public void EmptyInnerDimensionGivesZeros()
    {
        var c = Tensor.Ones([3, 0]).Mm(Tensor.Ones([0, 4]));
        Assert.Equal([3, 4], c.Shape);
        Assert.All(c.ToArray<float>(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void InfinityTimesZeroIsNaNAsInPyTorch()
    {
        var a = Tensor.From(new[,] { { float.PositiveInfinity, 1f } });
        var b = Tensor.From(new[,] { { 0f }, { 2f } });
        Assert.True(float.IsNaN(a.Mm(b).ToArray<float>()[0]));
    }

    /// <summary>
    /// c[i, j] = Σ_p a[i, p]·b[p, j] within <paramref name="rel"/> of Σ_p |a[i, p]·b[p, j]| (the bound on the
    /// rounding of any summation order), where operand x's (r, s) element is x[r·strides[0] + s·strides[1]].
    /// </summary>
    private static void AssertProduct<TC>(float[] a, int[] aStrides, float[] b, int[] bStrides, int m, int k, int n, TC[] c, double rel)
        where TC : System.Numerics.INumber<TC>
    {
        Assert.Equal(m * n, c.Length);
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                double sum = 0, magnitude = 0;
                for (var p = 0; p < k; p++)
                {
                    var term = (double)a[(i * aStrides[0]) + (p * aStrides[1])] * b[(p * bStrides[0]) + (j * bStrides[1])];
                    sum += term;
                    magnitude += Math.Abs(term);
                }

                var actual = double.CreateChecked(c[(i * n) + j]);
                Assert.True(Math.Abs(actual - sum) <= (rel * magnitude) + 1e-30, $"c[{i}, {j}] = {actual}, expected {sum} (m={m}, k={k}, n={n})");
            }
        }
    }

    /// <summary>Values in [-1, 1) from a fixed seed; float32-exact so the Float64 runs see the same numbers.</summary>
    private static float[] Values(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
    }

    private static double[] ToDouble(float[] values) => Array.ConvertAll(values, v => (double)v);
}
