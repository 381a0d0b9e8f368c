namespace DistGrad.Tests.Ops;

/// <summary>Var, Std and NanToNum against PyTorch 1.13, and their backward by finite differences.</summary>
public class StatisticsTests
{
    [Fact]
    public void StdAndVarMatchPyTorch()
    {
        // x = [1, 2, 4, 7]: std 2.6458, grad [-0.3150, -0.1890, 0.0630, 0.4410]; var 7, grad [-1.6667, -1, 0.3333, 2.3333].
        var x = Tensor.From(new[] { 1f, 2f, 4f, 7f }, requiresGrad: true);
        var s = x.Std();
        Assert.Equal("tensor(2.6458, grad_fn=<StdBackward0>)", s.ToString());
        s.Backward();
        Assert.Equal("tensor([-0.3150, -0.1890,  0.0630,  0.4410])", x.Grad!.ToString());

        var v = Tensor.From(new[] { 1f, 2f, 4f, 7f }, requiresGrad: true);
        var variance = v.Var();
        Assert.Equal("tensor(7., grad_fn=<VarBackward0>)", variance.ToString());
        variance.Backward();
        Assert.Equal("tensor([-1.6667, -1.0000,  0.3333,  2.3333])", v.Grad!.ToString());

        Assert.Equal(5.25, Tensor.From(new[] { 1f, 2f, 4f, 7f }).Var(unbiased: false).Item(), 5);
    }

    [Fact]
    public void StdAndVarPassGradCheck()
    {
        var x = Tensor.Randn([5], dtype: DType.Float64, requiresGrad: true, generator: new Generator(11));
        Assert.True(GradCheck.Check(t => t.Std(), x));
        Assert.True(GradCheck.Check(t => t.Var(), x));
        Assert.True(GradCheck.Check(t => t.Std(unbiased: false) * t.Var(unbiased: false), x));
    }

    [Fact]
    public void NanToNumMatchesPyTorch()
    {
        // PyTorch: tensor([ 1.0000e+00,  0.0000e+00,  3.4028e+38, -3.4028e+38], grad_fn=<NanToNumBackward0>); grad [1, 0, 0, 0].
        var x = Tensor.From(new[] { 1f, float.NaN, float.PositiveInfinity, float.NegativeInfinity }, requiresGrad: true);
        var y = x.NanToNum();
        Assert.Equal("tensor([ 1.0000e+00,  0.0000e+00,  3.4028e+38, -3.4028e+38],\n       grad_fn=<NanToNumBackward0>)", y.ToString());
        y.Sum().Backward();
        Assert.Equal("tensor([1., 0., 0., 0.])", x.Grad!.ToString());
        Assert.Equal([1f, 5f, 6f, 7f], Tensor.From(new[] { 1f, float.NaN, float.PositiveInfinity, float.NegativeInfinity }).NanToNum(5, 6, 7).ToArray<float>());
    }
}
