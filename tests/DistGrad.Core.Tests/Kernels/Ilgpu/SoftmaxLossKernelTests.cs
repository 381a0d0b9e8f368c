using DistGrad.Nn;

namespace DistGrad.Tests.Kernels.Ilgpu;

[Collection(IlgpuCollection.Name)]
public class SoftmaxLossKernelTests
{
    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void Softmax_and_log_softmax_along_any_dim_match_the_cpu(DType dtype)
    {
        var x = OnBoth.Randn(1, dtype, 3, 7, 2) * 5;
        var tol = OnBoth.Tol(dtype) * 4;
        for (var d = 0; d < 3; d++)
        {
            var dim = d;
            OnBoth.Check(i => i[0].Softmax(dim), tol, x);
            OnBoth.Check(i => i[0].LogSoftmax(dim), tol, x);
            OnBoth.Check(i => i[0].Transpose(0, 2).LogSoftmax(dim), tol, x);
        }

        OnBoth.Check(i => i[0].Softmax(0), tol, Tensor.From(new[] { 1000f, 1001f, float.NegativeInfinity }).To(dtype));
    }

    [Fact]
    public void Cross_entropy_and_nll_losses_match_the_cpu()
    {
        var logits = OnBoth.Randn(2, DType.Float32, 33, 10);
        var target = Tensor.RandInt(0, 10, [33], new Generator(4));
        OnBoth.Check(i => Functional.CrossEntropy(i[0], i[1]), 1e-5, logits, target);
        OnBoth.Check(i => Functional.CrossEntropy(i[0], i[1], reduction: "none"), 1e-5, logits, target);
        OnBoth.Check(i => Functional.NllLoss(i[0].LogSoftmax(1), i[1], reduction: "sum"), 1e-5, logits, target);
        OnBoth.Check(i => Functional.MSELoss(i[0], i[0].Tanh()), 1e-5, logits);
    }

    [Fact]
    public void Fused_backward_kernels_match_the_cpu_nll_with_ignored_targets_softmax_and_linear_with_bias()
    {
        var logits = OnBoth.Randn(3, DType.Float32, 7, 5);
        var target = Tensor.From(new long[] { 0, 4, -100, 2, 2, -100, 1 });
        var upstream = OnBoth.Randn(4, DType.Float32, 7, 5);
        var weight = OnBoth.Randn(5, DType.Float32, 3, 5);
        var bias = OnBoth.Randn(6, DType.Float32, 3);

        // Gradients as outputs: each op runs forward and backward on the device it is given.
        OnBoth.Check(i => Autograd.Grad(Functional.CrossEntropy(i[0].SetRequiresGrad(), i[1]), i[0])!, 1e-5, logits.Clone(), target);
        OnBoth.Check(i => Autograd.Grad(Functional.CrossEntropy(i[0].SetRequiresGrad(), i[1], reduction: "sum"), i[0])!, 1e-5, logits.Clone(), target);
        OnBoth.Check(i => Autograd.Grad([i[0].SetRequiresGrad().Softmax(1)], [i[0]], [i[1]])[0]!, 1e-5, logits.Clone(), upstream);
        OnBoth.Check(i => Autograd.Grad([i[0].SetRequiresGrad().LogSoftmax(0)], [i[0]], [i[1]])[0]!, 1e-5, logits.Clone(), upstream);
        OnBoth.Check(i => Functional.Linear(i[0], i[1], i[2]), 1e-5, logits, weight, bias);
        OnBoth.Check(i => Autograd.Grad(Functional.Linear(i[0], i[1], i[2].SetRequiresGrad()).Sum(), i[2])!, 1e-5, logits, weight, bias.Clone());
    }
}
