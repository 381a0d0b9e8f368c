namespace DistGrad.Tests.Kernels.Ilgpu;

[Collection(IlgpuCollection.Name)]
public class ReduceKernelTests
{
    [Theory]
    [InlineData(DType.Float32, 1)]
    [InlineData(DType.Float32, 7)]
    [InlineData(DType.Float32, 33)]
    [InlineData(DType.Float64, 33)]
    public void Sum_mean_max_min_and_argmax_along_dims_match_the_cpu(DType dtype, int n)
    {
        var x = OnBoth.Randn(n, dtype, 3, n, 5);
        var tol = OnBoth.Tol(dtype) * 8;
        OnBoth.Check(i => i[0].Sum(), tol, x);
        OnBoth.Check(i => i[0].Sum(1), tol, x);
        OnBoth.Check(i => i[0].Sum([0, 2], keepDim: true), tol, x);
        OnBoth.Check(i => i[0].Mean(2), tol, x);
        OnBoth.Check(i => i[0].Max(), 0, x);
        OnBoth.Check(i => i[0].Min(), 0, x);
        OnBoth.Check(i => i[0].ArgMax(1), 0, x);
        OnBoth.Check(i => i[0].Permute(2, 0, 1).Sum(2), tol, x);
        OnBoth.Check(i => i[0].Transpose(0, 2).Mean([0, 1]), tol, x);
    }

    [Fact]
    public void Long_runs_take_the_group_reduction()
    {
        // 300 elements per output is past the per-thread threshold of the emulator's 16-thread groups.
        var x = OnBoth.Randn(5, DType.Float64, 2, 300);
        OnBoth.Check(i => i[0].Sum(1), 1e-12, x);
        OnBoth.Check(i => i[0].T.Sum(0), 1e-12, x);
        OnBoth.Check(i => i[0].Max(), 0, x);
        OnBoth.Check(i => i[0].Float().Sum(), 1e-5, x);
    }

    [Fact]
    public void Int64_bool_any_all_and_nan_reductions_match_the_cpu()
    {
        var x = Tensor.RandInt(-4, 5, [4, 9], new Generator(3));
        OnBoth.Check(i => i[0].Sum(1), 0, x);
        OnBoth.Check(i => i[0].Max(), 0, x);
        OnBoth.Check(i => (i[0] > 0).Sum(), 0, x);
        OnBoth.Check(i => (i[0] > 3).Any(), 0, x);
        OnBoth.Check(i => (i[0] > -5).All(), 0, x);
        OnBoth.Check(i => i[0].Any(), 0, x);
        var withNan = Tensor.From(new[] { 1f, float.NaN, 3f, -2f });
        OnBoth.Check(i => i[0].Max(), 0, withNan);
        OnBoth.Check(i => i[0].Min(), 0, withNan);
        OnBoth.Check(i => i[0].Sum(), 0, withNan);
    }

    [Fact]
    public void Statistics_built_from_reductions_match_the_cpu()
    {
        var x = OnBoth.Randn(6, DType.Float32, 7, 3);
        OnBoth.Check(i => i[0].Var(), 1e-5, x);
        OnBoth.Check(i => i[0].Std(), 1e-5, x);
        OnBoth.Check(i => i[0].Norm(), 1e-5, x);
        OnBoth.Check(i => (i[0] / 0).NanToNum(), 0, x);
    }
}
