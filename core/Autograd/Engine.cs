namespace DistGrad;

/// <summary>
/// Runs a backward pass: counts dependencies from the roots, executes ready nodes latest-created first,
/// sums gradients that arrive on several edges, calls hooks in PyTorch's order, accumulates into leaves
/// (or captures gradients for <see cref="Autograd.Grad(IReadOnlyList{Tensor}, IReadOnlyList{Tensor}, IReadOnlyList{Tensor?}?, bool?, bool, bool)"/>)
/// and frees saved tensors unless the graph is kept.
/// </summary>
internal sealed class Engine
{
    private readonly bool _keepGraph;
    private readonly bool _createGraph;
    private readonly HashSet<Storage> _userGradStorages = new(ReferenceEqualityComparer.Instance);

    // One slot per node this run reaches; each is given back to its node when the run ends.
    private readonly List<EngineSlot> _slots = [];

    // Slots of nodes that another run held when this one reached them (a backward inside a backward, as
    // Checkpoint does, or one on another thread); only then does the engine pay for a dictionary.
    private Dictionary<Node, EngineSlot>? _asideSlots;

    // Only set when the caller names inputs: which nodes must run, and where gradients are captured.
    private HashSet<Node>? _mustRun;
    private readonly List<(Node Node, int Slot, int Index)> _captures = [];

    private Engine(bool keepGraph, bool createGraph)
    {
        _keepGraph = keepGraph;
        _createGraph = createGraph;
    }

    /// <summary>
    /// Backpropagates <paramref name="rootGrads"/> from <paramref name="roots"/>. With <paramref name="inputs"/>,
    /// only those receive gradients: captured and returned when <paramref name="accumulate"/> is false
    /// (Autograd.Grad), accumulated into their Grad when true (Backward(inputs:)).
    /// </summary>
    public static Tensor?[] Run(
        IReadOnlyList<Tensor> roots, IReadOnlyList<Tensor> rootGrads, bool keepGraph, bool createGraph,
        IReadOnlyList<Tensor>? inputs, bool accumulate)
    {
        var engine = new Engine(keepGraph, createGraph);
        using (createGraph ? Autograd.EnableGrad() : Autograd.NoGrad())
        {
            return engine.Execute(roots, rootGrads, inputs, accumulate);
        }
    }

    private Tensor?[] Execute(IReadOnlyList<Tensor> roots, IReadOnlyList<Tensor> rootGrads, IReadOnlyList<Tensor>? inputs, bool accumulate)
    {
        try
        {
            return ExecuteClaimed(roots, rootGrads, inputs, accumulate);
        }
        finally
        {
            foreach (var slot in _slots)
            {
                if (slot.Claimed)
                {
                    slot.Node.Unclaim(slot);
                }
            }
        }
    }

    private Tensor?[] ExecuteClaimed(IReadOnlyList<Tensor> roots, IReadOnlyList<Tensor> rootGrads, IReadOnlyList<Tensor>? inputs, bool accumulate)
    {
        var rootNodes = new Node[roots.Count];
        var rootSlots = new int[roots.Count];
        for (var i = 0; i < roots.Count; i++)
        {
            var (node, slot) = roots[i].GradientEdge();
            rootNodes[i] = node ?? throw new InvalidOperationException($"element {i} of tensors does not require grad and does not have a grad_fn");
            rootSlots[i] = slot;
            _userGradStorages.Add(rootGrads[i].Storage);
        }

        var distinctRoots = CountDependencies(rootNodes);
        var captured = inputs == null ? [] : new Tensor?[inputs.Count];
        if (inputs != null)
        {
            PlanForInputs(inputs, accumulate, rootNodes);
        }

        var ready = new PriorityQueue<EngineSlot, long>();
        for (var i = 0; i < rootNodes.Length; i++)
        {
            AddToBuffer(Find(rootNodes[i])!, rootSlots[i], rootGrads[i]);
        }

        // The roots are the first slots CountDependencies made, one per distinct root node.
        for (var i = 0; i < distinctRoots; i++)
        {
            if (_slots[i].Dependencies == 0)
            {
                ready.Enqueue(_slots[i], -_slots[i].Node.SequenceNr);
            }
        }

        while (ready.TryDequeue(out var slot, out _))
        {
            var grads = slot.Buffer ?? new Tensor?[slot.Node.NumOutputs];
            slot.Buffer = null;
            RunNode(slot.Node, grads, captured, ready);
        }

        if (inputs != null && accumulate)
        {
            // Non-leaf inputs of Backward(inputs:) get their gradient stored in Grad, as PyTorch does.
            for (var i = 0; i < inputs.Count; i++)
            {
                if (!inputs[i].IsLeaf && captured[i] is { } g)
                {
                    inputs[i].Grad = inputs[i].Grad == null ? g.Detach().Clone() : inputs[i].Grad! + g;
                }
            }
        }

        return captured;
    }

    private void RunNode(Node node, Tensor?[] grads, Tensor?[] captured, PriorityQueue<EngineSlot, long> ready)
    {
        var anyGrad = HasAny(grads);
        if (anyGrad)
        {
            grads = node.CallPreHooks(grads);
        }

        foreach (var (captureNode, slot, index) in _captures)
        {
            if (ReferenceEquals(captureNode, node) && grads[slot] is { } g)
            {
                captured[index] = captured[index] is { } previous ? previous + g : g;
            }
        }

        if (_mustRun != null && !_mustRun.Contains(node))
        {
            return;
        }

        if (node is AccumulateGrad accumulator)
        {
            if (grads[0] is { } g)
            {
                accumulator.Accumulate(g, _createGraph, _userGradStorages.Contains(g.Storage));
            }

            return;
        }

        var gradInputs = anyGrad ? node.Apply(grads) : new Tensor?[node.Edges.Length];
        if (Autograd.IsAnomalyEnabled)
        {
            CheckForNan(node, gradInputs);
        }

        if (anyGrad && node.HasPostHooks)
        {
            gradInputs = node.CallPostHooks(gradInputs, grads);
        }

        if (!_keepGraph)
        {
            node.ReleaseVariables();
        }

        var edges = node.Edges;
        if (gradInputs.Length != edges.Length)
        {
            throw new InvalidOperationException($"function {node.Name} returned an incorrect number of gradients (expected {edges.Length}, got {gradInputs.Length})");
        }

        for (var i = 0; i < edges.Length; i++)
        {
            var (next, slot) = edges[i];
            if (next == null)
            {
                continue;
            }

            var nextSlot = Find(next)!;
            if (gradInputs[i] is { } g)
            {
                AddToBuffer(nextSlot, slot, Validate(node, i, g));
            }

            if (--nextSlot.Dependencies == 0)
            {
                ready.Enqueue(nextSlot, -next.SequenceNr);
            }
        }
    }

    private static bool HasAny(Tensor?[] grads)
    {
        foreach (var g in grads)
        {
            if (g != null)
            {
                return true;
            }
        }

        return false;
    }

    private static void CheckForNan(Node node, Tensor?[] gradInputs)
    {
        for (var i = 0; i < gradInputs.Length; i++)
        {
            if (gradInputs[i] is { } g && g.DType.IsFloating() && g.IsNan().Any().Item() != 0)
            {
                var site = node.ForwardTrace is { } trace
                    ? $" The forward call that created {node.Name} was:{Environment.NewLine}{trace}"
                    : " (the node was created outside DetectAnomaly, so its forward call site was not recorded)";
                throw new InvalidOperationException($"Function '{node.Name}' returned nan values in its {i}th output.{site}");
            }
        }
    }

    /// <summary>Sums a gradient back to its input's shape when it was broadcast, and casts it to the input's dtype.</summary>
    private static Tensor Validate(Node node, int index, Tensor grad)
    {
        var meta = node.InputMetas[index];
        if (!Shapes.SameShape(grad.ShapeRef, meta.Shape))
        {
            if (!Shapes.ExpandableTo(meta.Shape, grad.ShapeRef))
            {
                throw new InvalidOperationException(
                    $"Function {node.Name} returned an invalid gradient at index {index} - got {Shapes.Format(grad.ShapeRef)} but expected shape compatible with {Shapes.Format(meta.Shape)}");
            }

            grad = grad.SumTo(meta.Shape);
        }

        if (grad.DType != meta.DType)
        {
            if (!grad.DType.IsFloating())
            {
                throw new InvalidOperationException(
                    $"Function {node.Name} returned an invalid gradient at index {index} - expected dtype {meta.DType.TorchName()} but got {grad.DType.TorchName()}");
            }

            grad = grad.To(meta.DType);
        }

        return grad;
    }

    private static void AddToBuffer(EngineSlot slot, int output, Tensor grad)
    {
        var buffer = slot.Buffer ??= new Tensor?[slot.Node.NumOutputs];
        buffer[output] = buffer[output] is { } existing ? existing + grad : grad;
    }

    /// <summary>This run's slot of <paramref name="node"/>, or null when the run has not reached it.</summary>
    private EngineSlot? Find(Node node) =>
        node.SlotOf(this) ?? (_asideSlots != null && _asideSlots.TryGetValue(node, out var aside) ? aside : null);

    private EngineSlot Track(Node node)
    {
        var slot = new EngineSlot(this, node);
        slot.Claimed = node.TryClaim(slot);
        if (!slot.Claimed)
        {
            (_asideSlots ??= new(ReferenceEqualityComparer.Instance))[node] = slot;
        }

        _slots.Add(slot);
        return slot;
    }

    /// <summary>
    /// Gives every node reachable from the roots a slot, counting the edges that point at it; returns how
    /// many distinct roots there are (their slots come first).
    /// </summary>
    private int CountDependencies(Node[] rootNodes)
    {
        var stack = new Stack<Node>();
        foreach (var root in rootNodes)
        {
            if (Find(root) == null)
            {
                Track(root);
                stack.Push(root);
            }
        }

        var distinct = _slots.Count;

        while (stack.TryPop(out var node))
        {
            foreach (var (next, _) in node.Edges)
            {
                if (next == null)
                {
                    continue;
                }

                var slot = Find(next);
                if (slot == null)
                {
                    slot = Track(next);
                    stack.Push(next);
                }

                slot.Dependencies++;
            }
        }

        return distinct;
    }

    /// <summary>Marks the nodes that lie on a path to an input and where each input's gradient is captured.</summary>
    private void PlanForInputs(IReadOnlyList<Tensor> inputs, bool accumulate, Node[] rootNodes)
    {
        var targets = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < inputs.Count; i++)
        {
            var input = inputs[i];
            if (!input.RequiresGrad)
            {
                throw new InvalidOperationException("One of the differentiated Tensors does not require grad");
            }

            var (node, slot) = input.GradientEdge();
            if (accumulate && node is AccumulateGrad)
            {
                targets.Add(node);
                continue;
            }

            _captures.Add((node!, slot, i));
            targets.Add(node!);
        }

        // A node must run when one of its next nodes must run or is a capture target; a leaf accumulator
        // runs only when Backward(inputs:) names its leaf.
        _mustRun = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        var reaches = new Dictionary<Node, bool>(ReferenceEqualityComparer.Instance);
        foreach (var node in rootNodes)
        {
            Reaches(node, targets, reaches);
        }

        foreach (var (node, reach) in reaches)
        {
            if (node is AccumulateGrad)
            {
                if (accumulate && targets.Contains(node))
                {
                    _mustRun.Add(node);
                }
            }
            else if (reach && node.Edges.Any(e => e.Node != null && reaches[e.Node]))
            {
                _mustRun.Add(node);
            }
        }
    }

    /// <summary>Whether a target can be reached from <paramref name="start"/> (the node itself included); iterative to survive deep graphs.</summary>
    private static bool Reaches(Node start, HashSet<Node> targets, Dictionary<Node, bool> memo)
    {
        var stack = new Stack<(Node Node, bool Expanded)>();
        stack.Push((start, false));
        while (stack.TryPop(out var item))
        {
            var (node, expanded) = item;
            if (memo.ContainsKey(node) && !expanded)
            {
                continue;
            }

            if (!expanded)
            {
                stack.Push((node, true));
                foreach (var (next, _) in node.Edges)
                {
                    if (next != null && !memo.ContainsKey(next))
                    {
                        stack.Push((next, false));
                    }
                }

                continue;
            }

            var reach = targets.Contains(node);
            foreach (var (next, _) in node.Edges)
            {
                reach |= next != null && memo.GetValueOrDefault(next);
            }

            memo[node] = reach;
        }

        return memo[start];
    }
}
