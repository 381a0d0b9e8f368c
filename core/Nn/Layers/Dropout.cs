namespace DistGrad.Nn;

/// <summary>
/// In training, zeroes each element with probability p and scales the rest by 1/(1−p); identity in eval.
/// The mask comes from the given generator (the default one otherwise), so runs repeat from their seed.
/// </summary>
public sealed class Dropout : Module
{
    private readonly Generator? _generator;

    public Dropout(double p = 0.5, Generator? generator = null)
    {
        if (p < 0 || p > 1 || double.IsNaN(p))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, $"dropout probability has to be between 0 and 1, but got {p}");
        }

        P = p;
        _generator = generator;
    }

    public double P { get; }

    protected override Tensor Compute(Tensor input) => Functional.Dropout(input, P, IsTraining, _generator);

    protected override string ExtraRepr() => $"p={PyFormat.Float(P)}, inplace=False";
}
