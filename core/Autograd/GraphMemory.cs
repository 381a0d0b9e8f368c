namespace DistGrad;

public static partial class Autograd
{
    /// <summary>
    /// Bytes of the storages that tensors saved for backward keep alive in the graph behind
    /// <paramref name="output"/>, each storage counted once — what freeing the graph (or checkpointing) gives back.
    /// </summary>
    public static long SavedTensorBytes(Tensor output) => SavedTensorBytes(output, []);

    /// <summary>
    /// As <see cref="SavedTensorBytes(Tensor)"/>, leaving out the storages of <paramref name="excluding"/>:
    /// with the model's parameters excluded it is the activation memory one forward pass keeps for backward
    /// (weights saved by a matmul stay alive anyway).
    /// </summary>
    public static long SavedTensorBytes(Tensor output, IEnumerable<Tensor> excluding)
    {
        var excluded = new HashSet<Storage>(excluding.Select(t => t.Storage), ReferenceEqualityComparer.Instance);
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
                if (!excluded.Contains(held.Storage))
                {
                    storages.Add(held.Storage);
                }
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
