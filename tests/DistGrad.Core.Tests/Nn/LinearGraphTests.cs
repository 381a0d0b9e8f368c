using DistGrad.Nn;

namespace DistGrad.Tests.Nn;

/// <summary>
/// Linear on a matrix with a bias is PyTorch's addmm: one AddmmBackward0 node whose edges go to the bias,
/// the input and the transposed weight (PyTorch 1.13: AccumulateGrad, AccumulateGrad or None, TBackward0),
/// with the bias folded into the product's kernel pass.
/// </summary>
public sealed class LinearGraphTests
{
    [Fact]
    public void RecordsAddmmWithPyTorchsEdges()
    {
        var x = Tensor.From(new[,] { { 1.0, -2.0, 0.5 }, { 0.25, 3.0, -1.0 } }, requiresGrad: true);
        var w = Tensor.From(new[,] { { 0.5, 1.0, -1.5 }, { 2.0, -0.25, 0.75 } }, requiresGrad: true);
        var b = Tensor.From(new[] { 0.125, -3.0 }, requiresGrad: true);
        var y = Functional.Linear(x, w, b);
        Assert.Equal("AddmmBackward0", y.GradFn!.Name);
        Assert.Equal(
            ["AccumulateGrad", "AccumulateGrad", "TBackward0"],
            y.GradFn.NextFunctions.Select(e => e.Node!.Name));
        Assert.Null(Functional.Linear(x.Detach(), w, b).GradFn!.NextFunctions[1].Node);

        // y = x·wᵀ + b and the gradients below are PyTorch 1.13's for these inputs.
        Assert.Equal(new[] { -2.125, -0.125, 4.75, -4.0 }, y.ToArray<double>());

        // d/dx Σ y·u = u·w, d/dw = uᵀ·x, d/db = Σ over rows of u.
        var u = Tensor.From(new[,] { { 1.0, 2.0 }, { -1.0, 0.5 } });
        (y * u).Sum().Backward();
        Assert.Equal(new[] { 4.5, 0.5, 0.0, 0.5, -1.125, 1.875 }, x.Grad!.ToArray<double>());
        Assert.Equal(new[] { 0.75, -5.0, 1.5, 2.125, -2.5, 0.5 }, w.Grad!.ToArray<double>());
        Assert.Equal(new[] { 0.0, 2.5 }, b.Grad!.ToArray<double>());
    }
}
