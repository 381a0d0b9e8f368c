namespace DistGrad;

public sealed partial class Tensor
{
    /// <summary>
    /// Computes the gradient of this tensor with respect to the graph's leaves and adds it into their
    /// <see cref="Grad"/>. A non-scalar tensor needs <paramref name="gradient"/> (the vector of the
    /// vector-Jacobian product). <paramref name="retainGraph"/> defaults to <paramref name="createGraph"/>.
    /// </summary>
    public void Backward(Tensor? gradient = null, bool? retainGraph = null, bool createGraph = false, IEnumerable<Tensor>? inputs = null) =>
        Autograd.Backward([this], gradient == null ? null : [gradient], retainGraph, createGraph, inputs?.ToArray());

    /// <summary>
    /// Calls <paramref name="hook"/> with this tensor's gradient during backward; a non-null result replaces
    /// the gradient for everything downstream.
    /// </summary>
    public HookHandle RegisterHook(Func<Tensor, Tensor?> hook)
    {
        if (!RequiresGrad)
        {
            throw new InvalidOperationException("cannot register a hook on a tensor that doesn't require gradient");
        }

        var (node, slot) = GradientEdge();
        return node!.AddTensorPreHook(slot, hook);
    }

    /// <summary>Calls <paramref name="hook"/> with this leaf after its <see cref="Grad"/> has been updated.</summary>
    public HookHandle RegisterPostAccumulateGradHook(Action<Tensor> hook)
    {
        if (!RequiresGrad)
        {
            throw new InvalidOperationException("cannot register a hook on a tensor that doesn't require gradient");
        }

        if (!IsLeaf)
        {
            throw new InvalidOperationException("post accumulate grad hooks cannot be registered on non-leaf tensors");
        }

        var (node, _) = GradientEdge();
        return ((AccumulateGrad)node!).AddPostAccumulateHook(hook);
    }
}
