using DistGrad.Optim;
using static DistGrad.Tests.Optim.OptimTestData;

namespace DistGrad.Tests.Optim;

/// <summary>What every optimizer shares: parameter checks, parameter groups, ZeroGrad, skipping null gradients, in-place updates.</summary>
public class OptimizerTests
{
    private const double Rel32 = 1e-6;

    [Fact]
    public void SgdGroupsWithTheirOwnOptionsMatchPyTorch()
    {
        // torch.optim.SGD([{'params': [p1]}, {'params': [p2], 'lr': 0.01, 'momentum': 0.5}], lr=0.1, momentum=0.9)
        var (p1, p2) = Parameters();
        var sgd = new SGD([new ParamGroup([p1]), new ParamGroup([p2]) { Lr = 0.01, ["momentum"] = 0.5 }], lr: 0.1, momentum: 0.9);
        Assert.Equal(0.1, sgd.ParamGroups[0].Lr);
        Assert.Equal(0.9, sgd.ParamGroups[0]["momentum"]);
        Assert.Equal(0.5, sgd.ParamGroups[1]["momentum"]);
        AssertRows(OptimizerExpected.SgdGroups, Run(sgd, p1, p2), Rel32);
    }

    [Fact]
    public void AdamWGroupsWithTheirOwnOptionsMatchPyTorch()
    {
        // torch.optim.AdamW([{'params': [p1]}, {'params': [p2], 'weight_decay': 0.0, 'betas': (0.5, 0.9)}], lr=0.02, weight_decay=0.05)
        var (p1, p2) = Parameters();
        var groups = new[] { new ParamGroup([p1]), new ParamGroup([p2]) { ["weight_decay"] = 0, ["beta1"] = 0.5, ["beta2"] = 0.9 } };
        AssertRows(OptimizerExpected.AdamWGroups, Run(new AdamW(groups, lr: 0.02, weightDecay: 0.05), p1, p2), Rel32);
    }

    [Fact]
    public void ChangingAGroupsLrBetweenStepsTakesEffect()
    {
        var p = Tensor.From(new[] { 1f, 2f }, requiresGrad: true);
        var sgd = new SGD([p], lr: 0.1);
        p.Grad = Tensor.From(new[] { 1f, 1f });
        sgd.Step();
        sgd.ParamGroups[0].Lr = 0.5;
        sgd.Step();
        AssertClose([0.4f, 1.4f], Values(p), Rel32);
    }

    [Fact]
    public void AddParamGroupAddsWithDefaults()
    {
        var a = Tensor.Zeros([2], requiresGrad: true);
        var b = Tensor.Zeros([3], requiresGrad: true);
        var adam = new Adam([a], lr: 0.01);
        adam.AddParamGroup(new ParamGroup([b]) { ["eps"] = 1e-6 });
        Assert.Equal(2, adam.ParamGroups.Count);
        Assert.Equal(0.01, adam.ParamGroups[1].Lr);
        Assert.Equal(1e-6, adam.ParamGroups[1]["eps"]);
        Assert.Same(b, adam.ParamGroups[1].Params[0]);
        Assert.Equal("some parameters appear in more than one parameter group", Assert.Throws<ArgumentException>(() => adam.AddParamGroup(new ParamGroup([b]))).Message);
    }

    [Fact]
    public void ParametersStayTheSameLeafObjects()
    {
        var (p1, p2) = Parameters();
        var version = p1.Version;
        var adam = new Adam([p1, p2]);
        Run(adam, p1, p2);
        Assert.Same(p1, adam.ParamGroups[0].Params[0]);
        Assert.True(p1.IsLeaf);
        Assert.True(p1.RequiresGrad);
        Assert.Null(p1.GradFn);
        Assert.True(p1.Version > version);
        Assert.False(adam.GetState(p1)["exp_avg"].RequiresGrad);
    }

    [Fact]
    public void StepWorksWhenGradModeIsOnAndRecordsNothing()
    {
        var p = Tensor.From(new[] { 1f }, requiresGrad: true);
        var loss = (p * p).Sum();
        loss.Backward();
        Assert.True(Autograd.IsGradEnabled);
        new SGD([p], lr: 0.25, momentum: 0.5, weightDecay: 0.1).Step();
        Assert.Null(p.GradFn);
        AssertClose([1 - (0.25 * 2.1)], Values(p), Rel32);
    }

    [Fact]
    public void ParametersWithoutGradientAreSkipped()
    {
        var a = Tensor.From(new[] { 1f }, requiresGrad: true);
        var b = Tensor.From(new[] { 1f }, requiresGrad: true);
        var adam = new Adam([a, b], lr: 0.1);
        a.Grad = Tensor.From(new[] { 1f });
        adam.Step();
        Assert.Equal(1f, b.ToArray<float>()[0]);
        Assert.Empty(adam.GetState(b));
        Assert.NotEmpty(adam.GetState(a));
    }

    [Fact]
    public void ZeroGradSetsToNullByDefault()
    {
        var (p1, p2) = Parameters();
        var sgd = new SGD([p1, p2], lr: 0.1);
        p1.Grad = Tensor.OnesLike(p1);
        sgd.ZeroGrad();
        Assert.Null(p1.Grad);
        Assert.Null(p2.Grad);
    }

    [Fact]
    public void ZeroGradWithoutSetToNoneZeroesInPlace()
    {
        var (p1, p2) = Parameters();
        var sgd = new SGD([p1, p2], lr: 0.1);
        var grad = Tensor.OnesLike(p1);
        p1.Grad = grad;
        sgd.ZeroGrad(setToNone: false);
        Assert.Same(grad, p1.Grad);
        Assert.All(grad.ToArray<float>(), v => Assert.Equal(0f, v));
        Assert.Null(p2.Grad);
    }

    [Fact]
    public void ZeroGradWithoutSetToNoneDetachesAGradientWithHistory()
    {
        var p = Tensor.From(new[] { 3f }, requiresGrad: true);
        (p * p * p).Sum().Backward(createGraph: true);
        Assert.NotNull(p.Grad!.GradFn);
        new SGD([p], lr: 0.1).ZeroGrad(setToNone: false);
        Assert.Null(p.Grad!.GradFn);
        Assert.False(p.Grad.RequiresGrad);
        Assert.Equal(0f, p.Grad.ToArray<float>()[0]);
    }

    [Fact]
    public void EmptyParameterListThrows()
    {
        Assert.Equal("optimizer got an empty parameter list", Assert.Throws<ArgumentException>(() => new SGD(Array.Empty<Tensor>(), lr: 0.1)).Message);
        Assert.Equal("optimizer got an empty parameter list", Assert.Throws<ArgumentException>(() => new Adam(Array.Empty<ParamGroup>())).Message);
    }

    [Fact]
    public void NonLeafParameterThrows()
    {
        var p = Tensor.Zeros([2], requiresGrad: true);
        Assert.Equal("can't optimize a non-leaf Tensor", Assert.Throws<ArgumentException>(() => new SGD([p * 2], lr: 0.1)).Message);
    }

    [Fact]
    public void NonFloatingParameterThrows()
    {
        var e = Assert.Throws<ArgumentException>(() => new Adam([Tensor.From(new long[] { 1, 2 })]));
        Assert.Contains("torch.int64", e.Message);
    }

    [Fact]
    public void DuplicateParametersThrow()
    {
        var p = Tensor.Zeros([2], requiresGrad: true);
        Assert.Equal("optimizer contains a parameter group with duplicate parameters", Assert.Throws<ArgumentException>(() => new SGD([p, p], lr: 0.1)).Message);
        Assert.Equal(
            "some parameters appear in more than one parameter group",
            Assert.Throws<ArgumentException>(() => new SGD([new ParamGroup([p]), new ParamGroup([p])], lr: 0.1)).Message);
    }

    [Fact]
    public void UnknownGroupOptionThrows()
    {
        var p = Tensor.Zeros([2], requiresGrad: true);
        var e = Assert.Throws<ArgumentException>(() => new SGD([new ParamGroup([p]) { ["betas"] = 0.9 }], lr: 0.1));
        Assert.Contains("'betas'", e.Message);
        Assert.Contains("momentum", e.Message);
    }

    [Fact]
    public void BadGroupOptionThrows()
    {
        var p = Tensor.Zeros([2], requiresGrad: true);
        Assert.Equal("Invalid learning rate: -1.0", Assert.Throws<ArgumentException>(() => new SGD([new ParamGroup([p]) { Lr = -1 }], lr: 0.1)).Message);
        Assert.Equal(
            "Invalid beta parameter at index 1: 1.0",
            Assert.Throws<ArgumentException>(() => new Adam([new ParamGroup([p]) { ["beta2"] = 1 }])).Message);
    }

    [Fact]
    public void CallersGroupIsCopied()
    {
        var p = Tensor.Zeros([2], requiresGrad: true);
        var group = new ParamGroup([p]) { Lr = 0.5 };
        var sgd = new SGD([group], lr: 0.1);
        sgd.ParamGroups[0].Lr = 0.25;
        Assert.Equal(0.5, group.Lr);
        Assert.False(group.HasOption("momentum"));
        Assert.Throws<KeyNotFoundException>(() => group["momentum"]);
    }
}
