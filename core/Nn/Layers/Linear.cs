namespace DistGrad.Nn;

/// <summary>y = x Wᵀ + b (torch.nn.Linear), initialised as PyTorch does: U(−1/√in, 1/√in) for both.</summary>
public sealed class Linear : Module
{
    public Linear(int inFeatures, int outFeatures, bool bias = true, Generator? generator = null)
    {
        if (inFeatures <= 0 || outFeatures <= 0)
        {
            throw new ArgumentException($"Linear needs positive sizes, got inFeatures={inFeatures}, outFeatures={outFeatures}");
        }

        (InFeatures, OutFeatures) = (inFeatures, outFeatures);
        Weight = RegisterParameter("weight", Tensor.Empty([outFeatures, inFeatures]))!;
        Bias = RegisterParameter("bias", bias ? Tensor.Empty([outFeatures]) : null);

        // kaiming_uniform_(a=√5) gives the bound 1/√fan_in; the bias uses the same bound.
        Init.KaimingUniform(Weight, a: Math.Sqrt(5), generator: generator);
        if (Bias != null)
        {
            var bound = 1 / Math.Sqrt(inFeatures);
            Init.Uniform(Bias, -bound, bound, generator);
        }
    }

    public int InFeatures { get; }

    public int OutFeatures { get; }

    public Tensor Weight { get; }

    public Tensor? Bias { get; }

    protected override Tensor Compute(Tensor input) => Functional.Linear(input, Weight, Bias);

    protected override string ExtraRepr() => $"in_features={InFeatures}, out_features={OutFeatures}, bias={PyFormat.Bool(Bias != null)}";
}
