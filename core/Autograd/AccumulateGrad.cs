namespace DistGrad;

/// <summary>The node of a leaf that requires grad: adds the incoming gradient into the leaf's <see cref="Tensor.Grad"/>.</summary>
public sealed class AccumulateGrad : Node
{
    private readonly List<Action<Tensor>> _postAccumulateHooks = [];

    internal AccumulateGrad(Tensor variable)
        : base([], [new InputMeta(variable.ShapeRef, variable.DType, variable.Device)])
    {
        Variable = variable;

        // PyTorch gives accumulators the highest priority: a leaf's gradient is stored as soon as it is complete.
        SequenceNr = long.MaxValue;
    }

    public override string Name => "AccumulateGrad";

    /// <summary>The leaf this node accumulates into.</summary>
    public Tensor Variable { get; }

    internal HookHandle AddPostAccumulateHook(Action<Tensor> hook) => HookHandle.Add(_postAccumulateHooks, hook);

    internal override Tensor?[] Apply(Tensor?[] gradOutputs) => throw new InvalidOperationException("AccumulateGrad is run by the engine through Accumulate");

    /// <summary>Adds <paramref name="grad"/> into the leaf: out of place when building a graph, in place otherwise.</summary>
    internal void Accumulate(Tensor grad, bool createGraph, bool mayAlias)
    {
        var existing = Variable.Grad;
        if (existing == null)
        {
            var owned = createGraph || (!mayAlias && grad.IsContiguous) ? grad : grad.Detach().Clone();
            Variable.Grad = createGraph ? owned : owned.Detach();
        }
        else if (createGraph || existing.RequiresGrad)
        {
            Variable.Grad = existing + grad;
        }
        else
        {
            using (Autograd.NoGrad())
            {
                existing.AddInPlace(grad);
            }
        }

        foreach (var hook in _postAccumulateHooks.ToArray())
        {
            hook(Variable);
        }
    }
}
