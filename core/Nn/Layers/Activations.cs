namespace DistGrad.Nn;

/// <summary>max(x, 0).</summary>
public sealed class ReLU : Module
{
    protected override Tensor Compute(Tensor input) => input.Relu();
}

/// <summary>tanh(x).</summary>
public sealed class Tanh : Module
{
    protected override Tensor Compute(Tensor input) => input.Tanh();
}

/// <summary>1 / (1 + e^−x).</summary>
public sealed class Sigmoid : Module
{
    protected override Tensor Compute(Tensor input) => input.Sigmoid();
}

/// <summary>x·Φ(x), the exact erf form of GELU.</summary>
public sealed class GELU : Module
{
    protected override Tensor Compute(Tensor input) => input.Gelu();
}

/// <summary>Softmax along <see cref="Dim"/>.</summary>
public sealed class Softmax(int dim) : Module
{
    public int Dim { get; } = dim;

    protected override Tensor Compute(Tensor input) => input.Softmax(Dim);

    protected override string ExtraRepr() => $"dim={Dim}";
}
