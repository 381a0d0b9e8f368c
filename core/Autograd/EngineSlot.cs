namespace DistGrad;

/// <summary>
/// What one backward run knows about one node of its graph: how many edges still owe it a gradient, and the
/// gradients that have arrived for its outputs so far.
/// </summary>
internal sealed class EngineSlot(Engine owner, Node node)
{
    public Engine Owner { get; } = owner;

    public Node Node { get; } = node;

    /// <summary>Edges from nodes that have not run yet; the node is ready at zero.</summary>
    public int Dependencies { get; set; }

    /// <summary>Gradients received for each output (allocated on the first arrival).</summary>
    public Tensor?[]? Buffer { get; set; }

    /// <summary>Whether the node's Slot field points here (false when another run held the node and the engine keeps this slot aside).</summary>
    public bool Claimed { get; set; }
}
