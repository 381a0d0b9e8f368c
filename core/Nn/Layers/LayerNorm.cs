namespace DistGrad.Nn;

/// <summary>Normalises over the last dims (mean 0, variance 1, biased) then scales and shifts per element.</summary>
public sealed class LayerNorm : Module
{
    public LayerNorm(int normalizedShape, double eps = 1e-5, bool elementwiseAffine = true)
        : this([normalizedShape], eps, elementwiseAffine)
    {
    }

    public LayerNorm(int[] normalizedShape, double eps = 1e-5, bool elementwiseAffine = true)
    {
        if (normalizedShape.Length == 0 || normalizedShape.Any(s => s <= 0))
        {
            throw new ArgumentException($"LayerNorm needs a non-empty shape of positive sizes, got [{string.Join(", ", normalizedShape)}]");
        }

        NormalizedShape = (int[])normalizedShape.Clone();
        Eps = eps;
        Weight = RegisterParameter("weight", elementwiseAffine ? Tensor.Ones(NormalizedShape) : null);
        Bias = RegisterParameter("bias", elementwiseAffine ? Tensor.Zeros(NormalizedShape) : null);
    }

    public int[] NormalizedShape { get; }

    public double Eps { get; }

    public Tensor? Weight { get; }

    public Tensor? Bias { get; }

    protected override Tensor Compute(Tensor input) => Functional.LayerNorm(input, NormalizedShape, Weight, Bias, Eps);

    protected override string ExtraRepr() =>
        $"({string.Join(", ", NormalizedShape)},), eps={PyFormat.Float(Eps)}, elementwise_affine={PyFormat.Bool(Weight != null)}";
}
