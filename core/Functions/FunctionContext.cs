namespace DistGrad;

/// <summary>
/// What a custom <see cref="Function{TSelf}"/> keeps between its forward and backward (PyTorch's ctx):
/// saved tensors (version-checked), tensors changed in place, outputs that are not differentiable, which
/// inputs need a gradient, and any non-tensor values by name.
/// </summary>
public sealed class FunctionContext
{
    private readonly Dictionary<string, object?> _values = [];
    private Tensor[] _toSave = [];
    private SavedTensor[]? _saved;

    internal FunctionContext(bool[] needsInputGrad) => NeedsInputGrad = needsInputGrad;

    /// <summary>One flag per forward argument: whether its gradient is wanted (false for non-tensors).</summary>
    public IReadOnlyList<bool> NeedsInputGrad { get; }

    /// <summary>Non-tensor values kept for backward, e.g. <c>ctx["alpha"] = alpha</c>.</summary>
    public object? this[string name]
    {
        get => _values.TryGetValue(name, out var v) ? v : throw new KeyNotFoundException($"the function context has no value named '{name}'");
        set => _values[name] = value;
    }

    /// <summary>A non-tensor value kept for backward, typed.</summary>
    public T Get<T>(string name) => (T)this[name]!;

    /// <summary>When false, gradients of outputs that got none arrive as null instead of zeros.</summary>
    public bool MaterializeGrads { get; set; } = true;

    internal HashSet<Tensor> Dirty { get; } = new(ReferenceEqualityComparer.Instance);

    internal HashSet<Tensor> NonDifferentiable { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>Keeps tensors for backward; call it once, in forward.</summary>
    public void SaveForBackward(params Tensor[] tensors) => _toSave = tensors;

    /// <summary>The tensors passed to <see cref="SaveForBackward"/>, checked against in-place changes since.</summary>
    public Tensor[] SavedTensors => _saved == null ? _toSave : Array.ConvertAll(_saved, s => s.Unpack());

    /// <summary>Declares inputs that forward modified in place (and returns).</summary>
    public void MarkDirty(params Tensor[] tensors)
    {
        foreach (var t in tensors)
        {
            Dirty.Add(t);
        }
    }

    /// <summary>Declares outputs that have no gradient (indices, masks).</summary>
    public void MarkNonDifferentiable(params Tensor[] tensors)
    {
        foreach (var t in tensors)
        {
            NonDifferentiable.Add(t);
        }
    }

    /// <summary>Turns the tensors named in forward into version-checked saved tensors (after forward ends).</summary>
    internal void SealSaved() => _saved = Array.ConvertAll(_toSave, t => new SavedTensor(t));

    internal IEnumerable<Tensor> HeldTensors => (_saved ?? []).Select(s => s.Held).OfType<Tensor>();

    internal void Release()
    {
        foreach (var s in _saved ?? [])
        {
            s.Release();
        }
    }
}
