using DistGrad.Optim;

namespace DistGrad.Tests.Optim;

/// <summary>
/// StepLR, CosineAnnealingLR, LinearLR and SequentialLR against PyTorch 1.13's (reference_schedulers.py):
/// the rates after construction and after each of 12 steps, for two groups starting at 0.1 and 0.02.
/// </summary>
public class SchedulerTests
{

    /// <summary>torch.optim.SGD([{'params': [a]}, {'params': [b], 'lr': 0.02}], lr=0.1)</summary>
    internal static SGD TwoGroups() =>
        new([new ParamGroup([Tensor.Zeros([1], requiresGrad: true)]), new ParamGroup([Tensor.Zeros([1], requiresGrad: true)]) { Lr = 0.02 }], lr: 0.1);

    /// <summary>The rates after construction, then after each step (optimizer first, as PyTorch asks).</summary>
    internal static List<double[]> Rates(SGD optimizer, LRScheduler scheduler, int steps = 12)
    {
        var rows = new List<double[]> { scheduler.GetLastLr().ToArray() };
        for (var i = 0; i < steps; i++)
        {
            optimizer.Step();
            scheduler.Step();
            rows.Add(scheduler.GetLastLr().ToArray());
            Assert.Equal(rows[^1], optimizer.ParamGroups.Select(g => g.Lr));
        }

        return rows;
    }

    /// <summary>Bit for bit: the same double arithmetic in the same order as PyTorch's Python gives the same rates.</summary>
    internal static void AssertRates(double[][] expected, IReadOnlyList<double[]> actual, int firstEpoch = 0) =>
        OptimTestData.AssertRows(expected, actual, rel: 0, firstEpoch, abs: 0);

    [Fact]
    public void StepLRMatchesPyTorch()
    {
        var sgd = TwoGroups();
        AssertRates(SchedulerExpected.StepLR3Half, Rates(sgd, new StepLR(sgd, stepSize: 3, gamma: 0.5)));
    }

    [Fact]
    public void StepLRDefaultGammaMatchesPyTorch()
    {
        var sgd = TwoGroups();
        AssertRates(SchedulerExpected.StepLR1, Rates(sgd, new StepLR(sgd, 1)));
    }

    [Fact]
    public void CosineAnnealingPastTMaxMatchesPyTorch()
    {
        // Past T_max the rate climbs back; epoch 6 takes the (2k+1)·T_max branch of the recursion.
        var sgd = TwoGroups();
        AssertRates(SchedulerExpected.Cosine5, Rates(sgd, new CosineAnnealingLR(sgd, tMax: 5, etaMin: 0.001)));
    }

    [Fact]
    public void CosineAnnealingIsPyTorchsRecursionNotTheClosedForm()
    {
        var sgd = TwoGroups();
        var rates = Rates(sgd, new CosineAnnealingLR(sgd, tMax: 10));
        AssertRates(SchedulerExpected.Cosine10, rates);

        // The closed form at epoch 12 is 0.009549150281252623; PyTorch's recursion prints ...666.
        Assert.Equal(0.009549150281252666, rates[12][0]);
        Assert.NotEqual(0.009549150281252623, rates[12][0]);
    }

    [Fact]
    public void LinearLRDefaultsMatchPyTorch()
    {
        var sgd = TwoGroups();
        AssertRates(SchedulerExpected.LinearDefaults, Rates(sgd, new LinearLR(sgd)));
    }

    [Fact]
    public void LinearLRMatchesPyTorch()
    {
        var sgd = TwoGroups();
        AssertRates(SchedulerExpected.LinearQuarter, Rates(sgd, new LinearLR(sgd, startFactor: 0.25, endFactor: 0.75, totalIters: 4)));
    }

    [Fact]
    public void WarmupThenCosineMatchesPyTorch()
    {
        var sgd = TwoGroups();
        var scheduler = new SequentialLR(
            sgd,
            [new LinearLR(sgd, startFactor: 0.1, totalIters: 3), new CosineAnnealingLR(sgd, tMax: 8, etaMin: 1e-4)],
            milestones: [3]);
        AssertRates(SchedulerExpected.WarmupCosine, Rates(sgd, scheduler));
    }

    [Fact]
    public void ThreeStagesMatchPyTorch()
    {
        var sgd = TwoGroups();
        var scheduler = new SequentialLR(
            sgd,
            [new LinearLR(sgd, startFactor: 0.5, totalIters: 2), new StepLR(sgd, 2, 0.5), new CosineAnnealingLR(sgd, 4)],
            milestones: [2, 6]);
        AssertRates(SchedulerExpected.ThreeStage, Rates(sgd, scheduler));
    }

    [Fact]
    public void SchedulersRecordInitialLrAndCountEpochs()
    {
        var sgd = TwoGroups();
        var scheduler = new LinearLR(sgd);
        Assert.Equal([0.1, 0.02], sgd.ParamGroups.Select(g => g.InitialLr!.Value));
        Assert.Equal([0.1, 0.02], scheduler.BaseLrs);
        Assert.Equal(0, scheduler.LastEpoch);
        scheduler.Step();
        scheduler.Step();
        Assert.Equal(2, scheduler.LastEpoch);
    }

    [Fact]
    public void ResumingWithLastEpochNeedsInitialLr()
    {
        var e = Assert.Throws<KeyNotFoundException>(() => new StepLR(TwoGroups(), 3, lastEpoch: 4));
        Assert.Equal("param 'initial_lr' is not specified in param_groups[0] when resuming an optimizer", e.Message);
    }

    [Fact]
    public void ResumingWithLastEpochGoesOnFromThere()
    {
        // StepLR(step_size=3, gamma=0.5) made at last_epoch 4 over groups whose initial_lr is set: its first
        // step moves to epoch 5 (no decay), the next to 6 (decay).
        var sgd = TwoGroups();
        foreach (var g in sgd.ParamGroups)
        {
            g.InitialLr = g.Lr;
        }

        var scheduler = new StepLR(sgd, 3, 0.5, lastEpoch: 4);
        Assert.Equal(5, scheduler.LastEpoch);
        Assert.Equal([0.1, 0.02], scheduler.GetLastLr());
        scheduler.Step();
        Assert.Equal([0.05, 0.01], scheduler.GetLastLr());
    }

    [Theory]
    [InlineData(0.0, 1.0, 5, "startFactor")]
    [InlineData(1.5, 1.0, 5, "startFactor")]
    [InlineData(0.5, 1.5, 5, "endFactor")]
    [InlineData(0.5, -0.1, 5, "endFactor")]
    [InlineData(0.5, 1.0, 0, "totalIters")]
    public void LinearLRRejectsBadFactors(double start, double end, int total, string parameter)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new LinearLR(TwoGroups(), start, end, total));
        Assert.Equal(parameter, e.ParamName);
    }

    [Fact]
    public void BadPeriodsThrow()
    {
        Assert.Equal("stepSize", Assert.Throws<ArgumentOutOfRangeException>(() => new StepLR(TwoGroups(), 0)).ParamName);
        Assert.Equal("tMax", Assert.Throws<ArgumentOutOfRangeException>(() => new CosineAnnealingLR(TwoGroups(), 0)).ParamName);
    }

    [Fact]
    public void SequentialLRChecksItsSchedulers()
    {
        var sgd = TwoGroups();
        var other = TwoGroups();
        var e = Assert.Throws<ArgumentException>(() => new SequentialLR(sgd, [new LinearLR(sgd), new StepLR(sgd, 2)], [1, 2]));
        Assert.Equal(
            "Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone points, but got number of schedulers 2 and the number of milestones to be equal to 2",
            e.Message);
        e = Assert.Throws<ArgumentException>(() => new SequentialLR(sgd, [new LinearLR(sgd), new StepLR(other, 2)], [1]));
        Assert.Equal(
            "Sequential Schedulers expects all schedulers to belong to the same optimizer, but got schedulers at index 1 to be different than the optimizer passed in.",
            e.Message);
    }
}
