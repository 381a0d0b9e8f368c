namespace DistGrad.Nn;

/// <summary>A loss: a module run with <see cref="Forward(Tensor, Tensor)"/> (input, target).</summary>
public abstract class Loss : Module
{
    protected Loss(string reduction)
    {
        Reduction = Reductions.Check(reduction);
    }

    /// <summary>"mean", "sum" or "none".</summary>
    public string Reduction { get; }

    public Tensor Forward(Tensor input, Tensor target) => RunWithHooks(input, x => Compute(x, target));

    protected abstract Tensor Compute(Tensor input, Tensor target);

    protected override Tensor Compute(Tensor input) =>
        throw new InvalidOperationException($"{GetType().Name} needs a target: call Forward(input, target)");

    protected override string ExtraRepr() => string.Empty;
}

/// <summary>PyTorch's reduction option and its check.</summary>
internal static class Reductions
{
    public static string Check(string reduction) => reduction is "mean" or "sum" or "none"
        ? reduction
        : throw new ArgumentException($"{reduction} is not a valid value for reduction", nameof(reduction));

    public static Tensor Apply(Tensor losses, string reduction) => reduction switch
    {
        "mean" => losses.Mean(),
        "sum" => losses.Sum(),
        _ => losses,
    };
}
