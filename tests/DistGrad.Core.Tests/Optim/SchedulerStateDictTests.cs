using DistGrad.Optim;
using static DistGrad.Tests.Optim.SchedulerTests;

namespace DistGrad.Tests.Optim;

/// <summary>
/// Scheduler state dicts: saving mid-schedule, restoring into a fresh optimizer and scheduler (optimizer
/// state first, as a checkpoint does), and going on with PyTorch's uninterrupted rates.
/// </summary>
public class SchedulerStateDictTests
{
    [Fact]
    public void CosineStateLayout()
    {
        var sgd = TwoGroups();
        var scheduler = new CosineAnnealingLR(sgd, tMax: 5, etaMin: 0.001);
        scheduler.Step();
        var dict = scheduler.StateDict();
        Assert.Equal(["T_max", "eta_min", "last_epoch", "_step_count", "base_lrs.0", "base_lrs.1", "_last_lr.0", "_last_lr.1"], dict.Keys);
        Assert.Equal(DType.Int64, dict["last_epoch"].DType);
        Assert.Equal(1, dict["last_epoch"].Item());
        Assert.Equal(2, dict["_step_count"].Item());
        Assert.Equal(DType.Float64, dict["base_lrs.1"].DType);
        Assert.Equal(0.02, dict["base_lrs.1"].Item());
        Assert.Equal(SchedulerExpected.Cosine5[1][0], dict["_last_lr.0"].Item());
    }

    [Fact]
    public void CosineRoundTripGoesOnWithPyTorchsRates()
    {
        var sgd = TwoGroups();
        var scheduler = new CosineAnnealingLR(sgd, tMax: 5, etaMin: 0.001);
        Rates(sgd, scheduler, steps: 4);
        var (optimizerState, schedulerState) = (sgd.StateDict(), scheduler.StateDict());

        var sgd2 = TwoGroups();
        var scheduler2 = new CosineAnnealingLR(sgd2, tMax: 99);
        sgd2.LoadStateDict(optimizerState);
        scheduler2.LoadStateDict(schedulerState);
        Assert.Equal(4, scheduler2.LastEpoch);
        Assert.Equal(5, scheduler2.TMax);
        Assert.Equal(0.001, scheduler2.EtaMin);
        Assert.Equal(SchedulerExpected.Cosine5[4], scheduler2.GetLastLr());
        AssertRates(SchedulerExpected.Cosine5[4..], Rates(sgd2, scheduler2, steps: 8), firstEpoch: 4);
    }

    [Fact]
    public void WarmupCosineRoundTripGoesOnWithPyTorchsRates()
    {
        var sgd = TwoGroups();
        var scheduler = new SequentialLR(sgd, [new LinearLR(sgd, 0.1, totalIters: 3), new CosineAnnealingLR(sgd, 8, 1e-4)], [3]);
        Rates(sgd, scheduler, steps: 2);
        var (optimizerState, schedulerState) = (sgd.StateDict(), scheduler.StateDict());
        Assert.Contains("_milestones.0", schedulerState.Keys);
        Assert.Contains("_schedulers.1.T_max", schedulerState.Keys);

        var sgd2 = TwoGroups();
        var scheduler2 = new SequentialLR(sgd2, [new LinearLR(sgd2, 0.5, totalIters: 7), new CosineAnnealingLR(sgd2, 3)], [9]);
        sgd2.LoadStateDict(optimizerState);
        scheduler2.LoadStateDict(schedulerState);
        Assert.Equal([3], scheduler2.Milestones);
        AssertRates(SchedulerExpected.WarmupCosine[2..], Rates(sgd2, scheduler2, steps: 10), firstEpoch: 2);
    }

    [Fact]
    public void MissingAndUnexpectedKeysThrowBeforeAnythingChanges()
    {
        var sgd = TwoGroups();
        var scheduler = new StepLR(sgd, 3, 0.5);
        var saved = scheduler.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value);
        saved.Remove("gamma");
        saved["momentum"] = Tensor.Scalar(0.9);
        saved["last_epoch"] = Tensor.Scalar(7L);

        var target = new StepLR(TwoGroups(), 2, 0.1);
        var e = Assert.Throws<ArgumentException>(() => target.LoadStateDict(saved));
        Assert.Contains("Missing key \"gamma\"", e.Message);
        Assert.Contains("Unexpected key \"momentum\"", e.Message);
        Assert.Equal(0, target.LastEpoch);
        Assert.Equal(0.1, target.Gamma);
    }

    [Fact]
    public void StateForAnotherNumberOfGroupsThrows()
    {
        var sgd = TwoGroups();
        var saved = new StepLR(sgd, 3).StateDict();
        var oneGroup = new SGD([Tensor.Zeros([1], requiresGrad: true)], lr: 0.1);
        var e = Assert.Throws<ArgumentException>(() => new StepLR(oneGroup, 3).LoadStateDict(saved));
        Assert.Contains("base_lrs", e.Message);
    }

    [Fact]
    public void SequentialLRChecksItsSchedulersStatesFirst()
    {
        var sgd = TwoGroups();
        var saved = new SequentialLR(sgd, [new LinearLR(sgd), new StepLR(sgd, 2)], [5]).StateDict().ToDictionary(kv => kv.Key, kv => kv.Value);
        saved.Remove("_schedulers.1.step_size");

        var sgd2 = TwoGroups();
        var linear = new LinearLR(sgd2, 0.5);
        var target = new SequentialLR(sgd2, [linear, new StepLR(sgd2, 4)], [2]);
        var e = Assert.Throws<ArgumentException>(() => target.LoadStateDict(saved));
        Assert.Contains("Missing key \"step_size\"", e.Message);
        Assert.Equal(0.5, linear.StartFactor);
        Assert.Equal([2], target.Milestones);
    }
}
