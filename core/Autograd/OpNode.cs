namespace DistGrad;

/// <summary>A backward rule: gradient of the output in, one gradient (or null) per input out.</summary>
internal delegate Tensor?[] BackwardFn(OpNode node, Tensor grad);

/// <summary>The node every built-in op records: a name, its saved tensors and its backward rule.</summary>
internal sealed class OpNode : Node
{
    private readonly string _name;
    private readonly BackwardFn _backward;
    private readonly SavedTensor?[] _saved;

    public OpNode(string name, BackwardFn backward, (Node? Node, int InputNr)[] edges, InputMeta[] metas, Tensor output, Tensor?[]? saved, object? state)
        : base(edges, metas)
    {
        _name = name;
        _backward = backward;
        _saved = saved == null ? [] : Save(saved, output);
        State = state;
    }

    public override string Name => _name;

    // A plain loop, not Array.ConvertAll with a lambda: the lambda would capture output and this, one
    // closure and one delegate allocated for every recorded op.
    private SavedTensor?[] Save(Tensor?[] saved, Tensor output)
    {
        var result = new SavedTensor?[saved.Length];
        for (var i = 0; i < saved.Length; i++)
        {
            if (saved[i] is { } t)
            {
                result[i] = new SavedTensor(t, ReferenceEquals(t, output) ? this : null);
            }
        }

        return result;
    }

    /// <summary>Non-tensor facts the backward needs (dims, shapes, exponents).</summary>
    public object? State { get; }

    public T StateAs<T>() => (T)State!;

    /// <summary>A saved tensor; only read it on the path that saved it (entries saved as null are not wanted).</summary>
    public Tensor Saved(int index) => (_saved[index] ?? throw new InvalidOperationException($"{Name} did not save tensor {index}")).Unpack();

    public int[] InputShape(int index) => InputMetas[index].Shape;

    internal override IEnumerable<Tensor> HeldTensors => _saved.Select(s => s?.Held).OfType<Tensor>();

    internal override Tensor?[] Apply(Tensor?[] gradOutputs) => _backward(this, gradOutputs[0]!);

    internal override void ReleaseVariables()
    {
        foreach (var s in _saved)
        {
            s?.Release();
        }
    }
}
