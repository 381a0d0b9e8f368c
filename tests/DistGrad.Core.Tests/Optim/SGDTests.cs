using DistGrad.Optim;
using static DistGrad.Tests.Optim.OptimTestData;

namespace DistGrad.Tests.Optim;

/// <summary>SGD step for step against torch.optim.SGD of PyTorch 1.13 (reference_optimizers.py), and its argument checks.</summary>
public class SGDTests
{
    private const double Rel32 = 1e-6;
    private const double Rel64 = 1e-13;

    [Fact]
    public void PlainStepsMatchPyTorch()
    {
        var (p1, p2) = Parameters();
        AssertRows(OptimizerExpected.SgdPlain, Run(new SGD([p1, p2], lr: 0.1), p1, p2), Rel32);
    }

    [Fact]
    public void MomentumStepsMatchPyTorch()
    {
        var (p1, p2) = Parameters();
        AssertRows(OptimizerExpected.SgdMomentum, Run(new SGD([p1, p2], lr: 0.1, momentum: 0.9), p1, p2), Rel32);
    }

    [Fact]
    public void DampeningAndWeightDecayStepsMatchPyTorch()
    {
        var (p1, p2) = Parameters();
        var sgd = new SGD([p1, p2], lr: 0.05, momentum: 0.9, dampening: 0.1, weightDecay: 0.01);
        AssertRows(OptimizerExpected.SgdDampenedDecay, Run(sgd, p1, p2), Rel32);
    }

    [Fact]
    public void NesterovStepsMatchPyTorch()
    {
        var (p1, p2) = Parameters();
        var sgd = new SGD([p1, p2], lr: 0.1, momentum: 0.8, weightDecay: 0.05, nesterov: true);
        AssertRows(OptimizerExpected.SgdNesterov, Run(sgd, p1, p2), Rel32);

        // The momentum buffers after the five steps, as torch's optimizer.state[p]['momentum_buffer'].
        AssertClose([-0.355949521f, -0.340621352f, 1.29762518f, 0.576552272f], Values(sgd.GetState(p1)["momentum_buffer"]), Rel32);
        AssertClose([0.333401501f, 0.691429496f, 1.23942983f], Values(sgd.GetState(p2)["momentum_buffer"]), Rel32);
    }

    [Fact]
    public void Float64NesterovStepsMatchPyTorch()
    {
        var (p1, p2) = Parameters(DType.Float64);
        var sgd = new SGD([p1, p2], lr: 0.1, momentum: 0.8, weightDecay: 0.05, nesterov: true);
        AssertRows(OptimizerExpected.SgdNesterovFloat64, Run(sgd, p1, p2), Rel64);
        Assert.Equal(DType.Float64, sgd.GetState(p1)["momentum_buffer"].DType);
    }

    [Fact]
    public void WithoutMomentumThereIsNoState()
    {
        var (p1, p2) = Parameters();
        var sgd = new SGD([p1, p2], lr: 0.1);
        Run(sgd, p1, p2);
        Assert.Empty(sgd.GetState(p1));
        Assert.DoesNotContain(sgd.StateDict().Keys, k => k.StartsWith("state.", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(-0.1, 0, 0, 0, false, "Invalid learning rate: -0.1")]
    [InlineData(0.1, -0.5, 0, 0, false, "Invalid momentum value: -0.5")]
    [InlineData(0.1, 0, 0, -0.01, false, "Invalid weight_decay value: -0.01")]
    [InlineData(0.1, 0, 0, 0, true, "Nesterov momentum requires a momentum and zero dampening")]
    [InlineData(0.1, 0.9, 0.1, 0, true, "Nesterov momentum requires a momentum and zero dampening")]
    [InlineData(double.NaN, 0, 0, 0, false, "Invalid learning rate: nan")]
    public void BadArgumentsThrowWithPyTorchsWording(double lr, double momentum, double dampening, double weightDecay, bool nesterov, string message)
    {
        var p = Tensor.Zeros([2], requiresGrad: true);
        var e = Assert.Throws<ArgumentException>(() => new SGD([p], lr, momentum, dampening, weightDecay, nesterov));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void ZeroLearningRateIsAllowedAndChangesNothing()
    {
        var (p1, p2) = Parameters();
        var rows = Run(new SGD([p1, p2], lr: 0, momentum: 0.9), p1, p2);
        AssertClose(Values(Parameters().P1, Parameters().P2), rows[^1], 0);
    }
}
