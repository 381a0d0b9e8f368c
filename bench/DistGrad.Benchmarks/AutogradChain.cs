namespace DistGrad.Benchmarks;

/// <summary>
/// The autograd-overhead workload: 1,000 ops on a 16-element tensor, cycling x * 1.0001, x + w, tanh(x),
/// so each op costs almost nothing in arithmetic and the time is the framework's own (bench/reference/micro.py
/// builds the same chain).
/// </summary>
internal static class AutogradChain
{
    public const int Ops = 1000;
    public const int Length = 16;

    public static Tensor Leaf() => Tensor.Full([Length], 0.5, requiresGrad: true);

    public static Tensor Addend() => Tensor.Full([Length], 0.01);

    /// <summary>The chain's output, summed to a scalar (the sum is the 1,001st op) so Backward needs no gradient argument.</summary>
    public static Tensor Forward(Tensor leaf, Tensor addend)
    {
        var x = leaf;
        for (var i = 0; i < Ops; i++)
        {
            x = (i % 3) switch
            {
                0 => x * 1.0001f,
                1 => x + addend,
                _ => x.Tanh(),
            };
        }

        return x.Sum();
    }
}
