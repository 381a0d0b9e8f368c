namespace DistGrad.Nn;

/// <summary>Merges dims startDim..endDim (by default all but the batch dim).</summary>
public sealed class Flatten(int startDim = 1, int endDim = -1) : Module
{
    public int StartDim { get; } = startDim;

    public int EndDim { get; } = endDim;

    protected override Tensor Compute(Tensor input) => input.Flatten(StartDim, EndDim);

    protected override string ExtraRepr() => $"start_dim={StartDim}, end_dim={EndDim}";
}
