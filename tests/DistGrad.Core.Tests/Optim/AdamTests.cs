using DistGrad.Optim;
using static DistGrad.Tests.Optim.OptimTestData;

namespace DistGrad.Tests.Optim;

/// <summary>Adam and AdamW step for step against torch.optim.Adam / AdamW of PyTorch 1.13 (reference_optimizers.py), and their argument checks.</summary>
public class AdamTests
{
    private const double Rel32 = 1e-6;
    private const double Rel64 = 1e-13;

    [Fact]
    public void AdamDefaultsMatchPyTorch()
    {
        var (p1, p2) = Parameters();
        AssertRows(OptimizerExpected.AdamDefaults, Run(new Adam([p1, p2]), p1, p2), Rel32);
    }

    [Fact]
    public void AdamWithL2WeightDecayMatchesPyTorch()
    {
        var (p1, p2) = Parameters();
        var adam = new Adam([p1, p2], lr: 0.01, beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay: 0.1);
        AssertRows(OptimizerExpected.AdamL2, Run(adam, p1, p2), Rel32);
    }

    [Fact]
    public void AdamStateMatchesPyTorch()
    {
        var (p1, p2) = Parameters();
        var adam = new Adam([p1, p2], lr: 0.01, beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay: 0.1);
        Run(adam, p1, p2);

        // torch's optimizer.state after the five steps: p2 had no gradient at step 3, so it counted 4.
        Assert.Equal(5, adam.GetState(p1)["step"].Item());
        Assert.Equal(4, adam.GetState(p2)["step"].Item());
        AssertClose([-0.0528540127f, -0.111419104f, 0.342330337f, 0.124402583f], Values(adam.GetState(p1)["exp_avg"]), Rel32);
        AssertClose([0.0131002227f, 0.00835294649f, 0.0446536429f, 0.0363521762f], Values(adam.GetState(p1)["exp_avg_sq"]), Rel32);
        AssertClose([0.0959562659f, 0.125444859f, 0.25591141f], Values(adam.GetState(p2)["exp_avg"]), Rel32);
        AssertClose([0.0248262938f, 0.00920387171f, 0.0293584168f], Values(adam.GetState(p2)["exp_avg_sq"]), Rel32);
    }

    [Fact]
    public void Float64AdamMatchesPyTorch()
    {
        var (p1, p2) = Parameters(DType.Float64);
        var adam = new Adam([p1, p2], lr: 0.01, beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay: 0.1);
        AssertRows(OptimizerExpected.AdamL2Float64, Run(adam, p1, p2), Rel64);
        Assert.Equal(DType.Float64, adam.GetState(p1)["exp_avg"].DType);
    }

    [Fact]
    public void AdamWDefaultDecayMatchesPyTorch()
    {
        var (p1, p2) = Parameters();
        AssertRows(OptimizerExpected.AdamWDefaults, Run(new AdamW([p1, p2], lr: 0.01), p1, p2), Rel32);
    }

    [Fact]
    public void AdamWDecoupledDecayMatchesPyTorch()
    {
        var (p1, p2) = Parameters();
        var adamW = new AdamW([p1, p2], lr: 0.05, beta1: 0.85, beta2: 0.995, eps: 1e-7, weightDecay: 0.1);
        AssertRows(OptimizerExpected.AdamWDecay, Run(adamW, p1, p2), Rel32);
    }

    [Fact]
    public void DefaultsAreTorchs()
    {
        var p = Tensor.Zeros([1], requiresGrad: true);
        var adam = new Adam([p]).ParamGroups[0];
        var adamW = new AdamW([p]).ParamGroups[0];
        Assert.Equal([1e-3, 0.9, 0.999, 1e-8, 0], new[] { "lr", "beta1", "beta2", "eps", "weight_decay" }.Select(k => adam[k]));
        Assert.Equal([1e-3, 0.9, 0.999, 1e-8, 1e-2], new[] { "lr", "beta1", "beta2", "eps", "weight_decay" }.Select(k => adamW[k]));
    }

    [Theory]
    [InlineData(-1e-3, 0.9, 0.999, 1e-8, 0, "Invalid learning rate: -0.001")]
    [InlineData(1e-3, 0.9, 0.999, -1e-8, 0, "Invalid epsilon value: -1e-08")]
    [InlineData(1e-3, 1.0, 0.999, 1e-8, 0, "Invalid beta parameter at index 0: 1.0")]
    [InlineData(1e-3, -0.1, 0.999, 1e-8, 0, "Invalid beta parameter at index 0: -0.1")]
    [InlineData(1e-3, 0.9, 1.5, 1e-8, 0, "Invalid beta parameter at index 1: 1.5")]
    [InlineData(1e-3, 0.9, 0.999, 1e-8, -0.5, "Invalid weight_decay value: -0.5")]
    public void BadArgumentsThrowWithPyTorchsWording(double lr, double beta1, double beta2, double eps, double weightDecay, string message)
    {
        var p = Tensor.Zeros([2], requiresGrad: true);
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => new Adam([p], lr, beta1, beta2, eps, weightDecay)).Message);
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => new AdamW([p], lr, beta1, beta2, eps, weightDecay)).Message);
    }
}
