namespace DistGrad;

public static partial class Autograd
{
    /// <summary>
    /// Bytes of the storages that tensors saved for backward keep alive in the graph behind
    /// <paramref name="output"/>, each storage counted once — what freeing the graph (or checkpointing) gives back.
    /// </summary>
    public static long SavedTensorBytes(Tensor output)
    {
        var seen = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<Node>();
        if (output.GradFn is { } root)
        {
            stack.Push(root);
            seen.Add(root);
        }

        var storages = new HashSet<Storage>(ReferenceEqualityComparer.Instance);
        while (stack.TryPop(out var node))
        {
            foreach (var held in node.HeldTensors)
            {
                storages.Add(held.Storage);
            }

            foreach (var (next, _) in node.Edges)
            {
                if (next != null && seen.Add(next))
                {
                    stack.Push(next);
                }
            }
        }

        return storages.Sum(s => (long)s.Length * s.DType.ElementSize());
    }
}
