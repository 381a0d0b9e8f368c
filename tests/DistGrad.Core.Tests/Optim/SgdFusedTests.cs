using DistGrad.Optim;

namespace DistGrad.Tests.Optim;

/// <summary>SGD's fused float32 update rounds exactly as the step written with tensor ops (PyTorch's single-tensor order).</summary>
public class SgdFusedTests
{
    [Theory]
    [InlineData(0.0, 0.0, 0.0, false)]
    [InlineData(0.9, 0.0, 0.0, false)]
    [InlineData(0.9, 0.1, 0.01, false)]
    [InlineData(0.9, 0.0, 0.01, true)]
    public void Three_steps_match_the_tensor_formula_bit_for_bit(double momentum, double dampening, double weightDecay, bool nesterov)
    {
        var g = new Generator(5);
        var param = Tensor.Randn([37, 11], generator: g).SetRequiresGrad();
        var expected = param.Detach().Clone();
        Tensor? buf = null;
        var optimizer = new SGD([param], 0.05, momentum, dampening, weightDecay, nesterov);
        for (var step = 0; step < 3; step++)
        {
            var grad = Tensor.Randn([37, 11], generator: g);
            param.Grad = grad.Clone();
            optimizer.Step();

            // The update as tensor ops, in torch.optim.SGD's order.
            var d = weightDecay != 0 ? grad + (expected * weightDecay) : grad;
            if (momentum != 0)
            {
                buf = buf == null ? d.Clone() : (buf * momentum) + (dampening == 0 ? d : d * (1 - dampening));
                d = nesterov ? d + (buf * momentum) : buf;
            }

            expected = expected + (d * -0.05);
            Assert.Equal(expected.ToArray<float>(), param.Detach().ToArray<float>());
        }
    }
}
