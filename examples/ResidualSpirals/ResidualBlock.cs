using DistGrad;
using DistGrad.Nn;

namespace ResidualSpirals;

/// <summary>x + W2·relu(LayerNorm(W1·x)): a pre-activation residual block, which the built-in catalog does not have.</summary>
public sealed class ResidualBlock : Module
{
    private readonly Linear _expand;
    private readonly LayerNorm _norm;
    private readonly Linear _project;

    public ResidualBlock(int width, int hidden, Generator generator)
    {
        _expand = RegisterModule("expand", new Linear(width, hidden, generator: generator));
        _norm = RegisterModule("norm", new LayerNorm([hidden]));
        _project = RegisterModule("project", new Linear(hidden, width, generator: generator));
    }

    protected override Tensor Compute(Tensor input) => input + _project.Forward(_norm.Forward(_expand.Forward(input)).Relu());
}
