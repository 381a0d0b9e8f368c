using DistGrad.Optim;
using DistGrad.Serialization;
using static DistGrad.Tests.Optim.OptimTestData;

namespace DistGrad.Tests.Optim;

/// <summary>
/// Optimizer state dicts: their flat layout, a save → new optimizer → load round trip that goes on with
/// PyTorch's steps (the expected values are PyTorch's uninterrupted five steps), and the load errors.
/// </summary>
public class OptimizerStateDictTests
{
    private const double Rel32 = 1e-6;

    private static Adam MakeAdam(Tensor p1, Tensor p2) => new([p1, p2], lr: 0.01, beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay: 0.1);

    [Fact]
    public void AdamStateDictLayout()
    {
        var (p1, p2) = Parameters();
        var adam = MakeAdam(p1, p2);
        Run(adam, p1, p2, 0, 3);
        var dict = adam.StateDict();
        Assert.Equal(
            [
                "state.0.step", "state.0.exp_avg", "state.0.exp_avg_sq",
                "state.1.step", "state.1.exp_avg", "state.1.exp_avg_sq",
                "param_groups.0.lr", "param_groups.0.beta1", "param_groups.0.beta2", "param_groups.0.eps", "param_groups.0.weight_decay",
                "param_groups.0.params",
            ],
            dict.Keys);
        Assert.Equal(DType.Int64, dict["state.0.step"].DType);
        Assert.Empty(dict["state.0.step"].Shape);
        Assert.Equal(3, dict["state.0.step"].Item());
        Assert.Equal(2, dict["state.1.step"].Item());
        Assert.Equal([2, 2], dict["state.0.exp_avg"].Shape);
        Assert.Equal(DType.Float32, dict["state.0.exp_avg"].DType);
        Assert.Equal(DType.Float64, dict["param_groups.0.lr"].DType);
        Assert.Empty(dict["param_groups.0.lr"].Shape);
        Assert.Equal(0.01, dict["param_groups.0.lr"].Item());
        Assert.Equal([0L, 1L], dict["param_groups.0.params"].ToArray<long>());
    }

    [Fact]
    public void StateDictIsASnapshot()
    {
        var (p1, p2) = Parameters();
        var adam = MakeAdam(p1, p2);
        Run(adam, p1, p2, 0, 2);
        var saved = adam.StateDict();
        var expAvg = saved["state.0.exp_avg"].ToArray<float>();
        Run(adam, p1, p2, 2, 4);
        Assert.Equal(expAvg, saved["state.0.exp_avg"].ToArray<float>());
        Assert.Equal(2, saved["state.0.step"].Item());
    }

    [Fact]
    public void AdamRoundTripContinuesWithPyTorchsSteps()
    {
        var (p1, p2) = Parameters();
        var adam = MakeAdam(p1, p2);
        Run(adam, p1, p2, 0, 3);
        var saved = adam.StateDict();

        // A fresh optimizer over fresh parameters holding the same values, as after loading a checkpoint.
        var (q1, q2) = (p1.Detach().Clone().SetRequiresGrad(), p2.Detach().Clone().SetRequiresGrad());
        var restored = new Adam([q1, q2]);
        restored.LoadStateDict(saved);
        Assert.Equal(0.01, restored.ParamGroups[0].Lr);
        Assert.Equal(0.8, restored.ParamGroups[0]["beta1"]);
        AssertRows(OptimizerExpected.AdamL2[3..], Run(restored, q1, q2, 3, 5), Rel32, firstStep: 4);
        Assert.Equal(5, restored.GetState(q1)["step"].Item());
    }

    [Fact]
    public void CheckpointThroughSafeTensorsContinuesWithPyTorchsSteps()
    {
        var (p1, p2) = Parameters();
        var adam = MakeAdam(p1, p2);
        var scheduler = new StepLR(adam, stepSize: 10);
        Run(adam, p1, p2, 0, 3);
        var optimizerBytes = SafeTensors.Serialize(adam.StateDict());
        var schedulerBytes = SafeTensors.Serialize(scheduler.StateDict());

        var (q1, q2) = (p1.Detach().Clone().SetRequiresGrad(), p2.Detach().Clone().SetRequiresGrad());
        var restored = new Adam([q1, q2]);
        var restoredScheduler = new StepLR(restored, stepSize: 2);
        restored.LoadStateDict(SafeTensors.Deserialize(optimizerBytes));
        restoredScheduler.LoadStateDict(SafeTensors.Deserialize(schedulerBytes));
        Assert.Equal(10, restoredScheduler.StepSize);
        Assert.Equal(0.01, restored.ParamGroups[0].InitialLr);
        AssertRows(OptimizerExpected.AdamL2[3..], Run(restored, q1, q2, 3, 5), Rel32, firstStep: 4);
    }

    [Fact]
    public void SgdNesterovRoundTripContinuesWithPyTorchsSteps()
    {
        var (p1, p2) = Parameters();
        var sgd = new SGD([p1, p2], lr: 0.1, momentum: 0.8, weightDecay: 0.05, nesterov: true);
        Run(sgd, p1, p2, 0, 2);
        var saved = sgd.StateDict();
        Assert.Contains("state.0.momentum_buffer", saved.Keys);
        Assert.Equal(1, saved["param_groups.0.nesterov"].Item());

        var (q1, q2) = (p1.Detach().Clone().SetRequiresGrad(), p2.Detach().Clone().SetRequiresGrad());
        var restored = new SGD([q1, q2], lr: 1);
        restored.LoadStateDict(saved);
        Assert.Equal(1, restored.ParamGroups[0]["nesterov"]);
        AssertRows(OptimizerExpected.SgdNesterov[2..], Run(restored, q1, q2, 2, 5), Rel32, firstStep: 3);
    }

    [Fact]
    public void LoadingRestoresTheStateExactlyAndCopiesIt()
    {
        var (p1, p2) = Parameters();
        var adam = MakeAdam(p1, p2);
        Run(adam, p1, p2, 0, 3);
        var saved = adam.StateDict();
        var restored = MakeAdam(p1.Detach().Clone().SetRequiresGrad(), p2.Detach().Clone().SetRequiresGrad());
        restored.LoadStateDict(saved);
        var again = restored.StateDict();
        Assert.Equal(saved.Keys, again.Keys);
        foreach (var key in saved.Keys)
        {
            Assert.Equal(saved[key].ToArray<double>(), again[key].ToArray<double>());
        }

        // The loaded state does not alias the dict it came from.
        var restoredState = restored.GetState(restored.ParamGroups[0].Params[0]);
        Assert.NotSame(saved["state.0.exp_avg"], restoredState["exp_avg"]);
        restoredState["exp_avg"].Detach().FillInPlace(7);
        Assert.NotEqual(7f, saved["state.0.exp_avg"].ToArray<float>()[0]);
    }

    [Fact]
    public void LoadingCastsStateToTheParameterDtype()
    {
        var (d1, d2) = Parameters(DType.Float64);
        var adam64 = MakeAdam(d1, d2);
        Run(adam64, d1, d2, 0, 3);
        var (p1, p2) = Parameters();
        var adam32 = MakeAdam(p1, p2);
        adam32.LoadStateDict(adam64.StateDict());
        Assert.Equal(DType.Float32, adam32.GetState(p1)["exp_avg"].DType);
        Assert.Equal(DType.Int64, adam32.GetState(p1)["step"].DType);
    }

    [Fact]
    public void LoadingRestoresGroupOptionsAndInitialLr()
    {
        var p = Tensor.Zeros([2], requiresGrad: true);
        var sgd = new SGD([p], lr: 0.1, momentum: 0.9);
        _ = new StepLR(sgd, stepSize: 2);
        sgd.ParamGroups[0].Lr = 0.05;
        var saved = sgd.StateDict();
        Assert.Equal(0.1, saved["param_groups.0.initial_lr"].Item());

        var other = new SGD([Tensor.Zeros([2], requiresGrad: true)], lr: 3);
        other.LoadStateDict(saved);
        Assert.Equal(0.05, other.ParamGroups[0].Lr);
        Assert.Equal(0.9, other.ParamGroups[0]["momentum"]);
        Assert.Equal(0.1, other.ParamGroups[0].InitialLr);
    }

    [Fact]
    public void MissingKeyThrowsNamingIt()
    {
        var (saved, target) = SavedAdamAndFreshTarget();
        var broken = Without(saved, "state.1.exp_avg_sq");
        var e = Assert.Throws<ArgumentException>(() => target.LoadStateDict(broken));
        Assert.Contains("state.1.exp_avg_sq", e.Message);
        Assert.Contains("Missing key", e.Message);

        e = Assert.Throws<ArgumentException>(() => target.LoadStateDict(Without(saved, "param_groups.0.eps")));
        Assert.Contains("Missing key \"param_groups.0.eps\"", e.Message);
    }

    [Fact]
    public void WrongShapeThrowsNamingTheKey()
    {
        var (saved, target) = SavedAdamAndFreshTarget();
        var broken = With(saved, "state.0.exp_avg", Tensor.Zeros([4]));
        var e = Assert.Throws<ArgumentException>(() => target.LoadStateDict(broken));
        Assert.Contains("size mismatch for state.0.exp_avg", e.Message);
        Assert.Contains("[4]", e.Message);
        Assert.Contains("[2, 2]", e.Message);
    }

    [Fact]
    public void DifferentNumberOfParametersThrows()
    {
        var (saved, _) = SavedAdamAndFreshTarget();
        var onlyOne = new Adam([Tensor.Zeros([2, 2], requiresGrad: true)]);
        var e = Assert.Throws<ArgumentException>(() => onlyOne.LoadStateDict(saved));
        Assert.Contains("doesn't match the size of optimizer's group", e.Message);
    }

    [Fact]
    public void DifferentNumberOfGroupsThrows()
    {
        var (saved, _) = SavedAdamAndFreshTarget();
        var (p1, p2) = Parameters();
        var twoGroups = new Adam([new ParamGroup([p1]), new ParamGroup([p2])]);
        var e = Assert.Throws<ArgumentException>(() => twoGroups.LoadStateDict(saved));
        Assert.Contains("different number of parameter groups", e.Message);
    }

    [Fact]
    public void AnotherOptimizersStateThrowsNamingUnexpectedKeys()
    {
        var (saved, _) = SavedAdamAndFreshTarget();
        var (p1, p2) = Parameters();
        var sgd = new SGD([p1, p2], lr: 0.1);
        var e = Assert.Throws<ArgumentException>(() => sgd.LoadStateDict(saved));
        Assert.Contains("Unexpected key \"state.0.exp_avg\"", e.Message);
        Assert.Contains("Unexpected key \"param_groups.0.beta1\"", e.Message);
        Assert.Contains("Missing key \"param_groups.0.momentum\"", e.Message);
    }

    [Fact]
    public void AFailedLoadChangesNothing()
    {
        var (saved, _) = SavedAdamAndFreshTarget();
        var (p1, p2) = Parameters();
        var adam = new Adam([p1, p2], lr: 0.5);
        Run(adam, p1, p2, 0, 1);
        var before = adam.StateDict();
        Assert.Throws<ArgumentException>(() => adam.LoadStateDict(With(saved, "state.1.exp_avg", Tensor.Zeros([7]))));
        var after = adam.StateDict();
        Assert.Equal(before.Keys, after.Keys);
        Assert.Equal(0.5, adam.ParamGroups[0].Lr);
        Assert.Equal(before["state.0.exp_avg"].ToArray<float>(), after["state.0.exp_avg"].ToArray<float>());
    }

    [Fact]
    public void LoadingAStateWithoutStepsClearsTheState()
    {
        var (p1, p2) = Parameters();
        var fresh = MakeAdam(p1, p2).StateDict();
        var (q1, q2) = Parameters();
        var adam = MakeAdam(q1, q2);
        Run(adam, q1, q2, 0, 2);
        adam.LoadStateDict(fresh);
        Assert.Empty(adam.GetState(q1));
        AssertRows(OptimizerExpected.AdamL2[..1], Run(MakeAdam(p1, p2), p1, p2, 0, 1), Rel32);
    }

    private static (IReadOnlyDictionary<string, Tensor> Saved, Adam Target) SavedAdamAndFreshTarget()
    {
        var (p1, p2) = Parameters();
        var adam = MakeAdam(p1, p2);
        Run(adam, p1, p2, 0, 3);
        var (q1, q2) = Parameters();
        return (adam.StateDict(), MakeAdam(q1, q2));
    }

    private static Dictionary<string, Tensor> Without(IReadOnlyDictionary<string, Tensor> dict, string key) =>
        dict.Where(kv => kv.Key != key).ToDictionary(kv => kv.Key, kv => kv.Value);

    private static Dictionary<string, Tensor> With(IReadOnlyDictionary<string, Tensor> dict, string key, Tensor value)
    {
        var copy = dict.ToDictionary(kv => kv.Key, kv => kv.Value);
        copy[key] = value;
        return copy;
    }
}
