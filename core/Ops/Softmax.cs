namespace DistGrad;

/// <summary>
/// Softmax and log-softmax, each one node with its own backward as in PyTorch. A backward pass that is itself
/// recorded (createGraph) runs the rule as ops so it can be differentiated again; otherwise the rule is one
/// fused kernel pass.
/// </summary>
public sealed partial class Tensor
{
    public Tensor Softmax(int dim)
    {
        var d = CheckSoftmaxInput(dim);
        var y = Kernels.Softmax(this, d, log: false);
        return Graph.Record("SoftmaxBackward0", y, [this], [y], (n, g) =>
        {
            var s = n.Saved(0);
            return Graph.ShouldRecord([g, s]) ? [s * (g - (g * s).Sum(d, keepDim: true))] : [g.Kernels.SoftmaxBackward(g, s, d, log: false)];
        });
    }

    public Tensor LogSoftmax(int dim)
    {
        var d = CheckSoftmaxInput(dim);
        var y = Kernels.Softmax(this, d, log: true);
        return Graph.Record("LogSoftmaxBackward0", y, [this], [y], (n, g) =>
        {
            var s = n.Saved(0);
            return Graph.ShouldRecord([g, s]) ? [g - (s.Exp() * g.Sum(d, keepDim: true))] : [g.Kernels.SoftmaxBackward(g, s, d, log: true)];
        });
    }

    private int CheckSoftmaxInput(int dim)
    {
        if (!DType.IsFloating())
        {
            throw new ArgumentException($"softmax needs a floating point tensor, got {DType.TorchName()}; convert with Float() first");
        }

        return Dim == 0 ? 0 : Shapes.NormalizeDim(dim, Dim);
    }
}
