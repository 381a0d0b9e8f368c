namespace DistGrad;

/// <summary>What a node remembers of one input: enough to check and shape the gradient it returns for it.</summary>
internal readonly record struct InputMeta(int[] Shape, DType DType, Device Device);

/// <summary>
/// One backward function in the graph (PyTorch's torch.autograd.graph.Node): its name, edges to the nodes
/// of its inputs, and hooks. The engine calls <see cref="Apply"/> with the gradients of its outputs.
/// </summary>
public abstract class Node
{
    private static long s_nextSequenceNr;

    // Tensor hooks, retain-grad and node pre-hooks share one list: PyTorch 1.13 runs them in the order
    // they were registered (a tensor hook registered after RetainGrad does not change the retained grad).
    // Created on the first registration: most nodes never get a hook, and two empty lists per recorded op
    // are a measurable share of a small op's cost.
    private List<Func<Tensor?[], Tensor?[]?>>? _preHooks;
    private List<Func<Tensor?[], Tensor?[], Tensor?[]?>>? _postHooks;

    // The engine run that is walking this node now, with its dependency count and gradient buffer; a field
    // rather than a dictionary entry because the lookup happens once per edge of every backward pass.
    private EngineSlot? _slot;

    private protected Node((Node? Node, int InputNr)[] edges, InputMeta[] inputMetas, int numOutputs = 1)
    {
        Edges = edges;
        InputMetas = inputMetas;
        NumOutputs = numOutputs;
        SequenceNr = Interlocked.Increment(ref s_nextSequenceNr);
    }

    /// <summary>PyTorch's class name of the node, e.g. "MulBackward0".</summary>
    public abstract string Name { get; }

    /// <summary>One entry per tensor input: the node that receives its gradient and which of that node's outputs it is.</summary>
    public IReadOnlyList<(Node? Node, int InputNr)> NextFunctions => Edges;

    internal (Node? Node, int InputNr)[] Edges { get; }

    internal InputMeta[] InputMetas { get; }

    internal int NumOutputs { get; }

    /// <summary>Creation order; the engine runs later nodes first among those that are ready.</summary>
    internal long SequenceNr { get; private protected set; }

    /// <summary>Where user code created this node in forward (recorded under <see cref="Autograd.DetectAnomaly"/>).</summary>
    public string? ForwardTrace { get; internal set; }

    /// <summary>Given gradients of the outputs, returns one gradient (or null) per input.</summary>
    internal abstract Tensor?[] Apply(Tensor?[] gradOutputs);

    /// <summary>The tensors this node still holds for backward (none once freed).</summary>
    internal virtual IEnumerable<Tensor> HeldTensors => [];

    /// <summary>Frees saved tensors once the graph will not be run again.</summary>
    internal virtual void ReleaseVariables()
    {
    }

    /// <summary>Whether the gradient of input <paramref name="index"/> is wanted by anyone.</summary>
    public bool NeedsInputGrad(int index) => Edges[index].Node != null;

    public override string ToString() => $"<{Name}>";

    // ---------------------------------------------------------------- hooks

    /// <summary>
    /// Single-input form: <paramref name="hook"/> sees the gradient this node passes to its input and may
    /// return a replacement (null keeps it).
    /// </summary>
    public HookHandle RegisterHook(Func<Tensor, Tensor?> hook)
    {
        if (Edges.Length != 1)
        {
            throw new InvalidOperationException(
                $"RegisterHook(Func<Tensor, Tensor?>) needs a node with one input, but {Name} has {Edges.Length}; use the (gradInputs, gradOutputs) form");
        }

        return RegisterHook((gradInputs, _) => gradInputs[0] is { } g && hook(g) is { } r ? [r] : null);
    }

    /// <summary>PyTorch's Node.register_hook: (gradInputs, gradOutputs) → replacement gradInputs, or null to keep them.</summary>
    public HookHandle RegisterHook(Func<Tensor?[], Tensor?[], Tensor?[]?> hook) => HookHandle.Add(_postHooks ??= [], hook);

    /// <summary>PyTorch's Node.register_prehook: gradOutputs → replacement gradOutputs, or null to keep them.</summary>
    public HookHandle RegisterPrehook(Func<Tensor?[], Tensor?[]?> hook) => HookHandle.Add(_preHooks ??= [], hook);

    /// <summary>A hook of the tensor that is output <paramref name="outputNr"/> of this node.</summary>
    internal HookHandle AddTensorPreHook(int outputNr, Func<Tensor, Tensor?> hook) =>
        RegisterPrehook(grads =>
        {
            if (grads[outputNr] is not { } g || hook(g) is not { } replaced)
            {
                return null;
            }

            var result = (Tensor?[])grads.Clone();
            result[outputNr] = CheckHookResult(replaced, g, "tensor hook");
            return result;
        });

    /// <summary>Keeps the gradient of output <paramref name="outputNr"/> in <paramref name="tensor"/>.Grad.</summary>
    internal void AddRetainGrad(int outputNr, Tensor tensor) =>
        RegisterPrehook(grads =>
        {
            if (grads[outputNr] is { } g)
            {
                tensor.Grad = tensor.Grad == null ? (Autograd.IsGradEnabled ? g : g.Detach()).Clone() : tensor.Grad + g;
            }

            return null;
        });

    /// <summary>Runs the pre-hooks in registration order; each may replace the gradients of the outputs.</summary>
    internal Tensor?[] CallPreHooks(Tensor?[] grads)
    {
        if (_preHooks is not { Count: > 0 })
        {
            return grads;
        }

        // A copy: a hook may register or remove hooks while they run.
        foreach (var hook in _preHooks.ToArray())
        {
            if (hook(grads) is { } replaced)
            {
                grads = CheckHookCount(replaced, grads.Length, "pre-hook");
            }
        }

        return grads;
    }

    internal Tensor?[] CallPostHooks(Tensor?[] gradInputs, Tensor?[] gradOutputs)
    {
        if (_postHooks is not { Count: > 0 })
        {
            return gradInputs;
        }

        foreach (var hook in _postHooks.ToArray())
        {
            if (hook(gradInputs, gradOutputs) is { } replaced)
            {
                gradInputs = CheckHookCount(replaced, gradInputs.Length, "hook");
            }
        }

        return gradInputs;
    }

    internal bool HasPostHooks => _postHooks is { Count: > 0 };

    /// <summary>This node's slot when <paramref name="owner"/> holds it, else null.</summary>
    internal EngineSlot? SlotOf(Engine owner) => _slot is { } s && ReferenceEquals(s.Owner, owner) ? s : null;

    /// <summary>Takes the node for <paramref name="slot"/>'s run; false when another run (reentrant or on another thread) holds it.</summary>
    internal bool TryClaim(EngineSlot slot) => Interlocked.CompareExchange(ref _slot, slot, null) == null;

    /// <summary>Gives the node back at the end of the run that claimed it.</summary>
    internal void Unclaim(EngineSlot slot) => Interlocked.CompareExchange(ref _slot, null, slot);

    private Tensor?[] CheckHookCount(Tensor?[] replaced, int expected, string what) =>
        replaced.Length == expected
            ? replaced
            : throw new InvalidOperationException($"a {what} of {Name} returned {replaced.Length} gradients, but {expected} were expected");

    private Tensor CheckHookResult(Tensor replaced, Tensor original, string what) =>
        Shapes.SameShape(replaced.ShapeRef, original.ShapeRef)
            ? replaced
            : throw new InvalidOperationException(
                $"a {what} on an output of {Name} returned a gradient of shape {Shapes.Format(replaced.ShapeRef)}, but the gradient has shape {Shapes.Format(original.ShapeRef)}");
}
