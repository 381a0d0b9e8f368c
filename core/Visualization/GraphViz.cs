namespace DistGrad;

/// <summary>
/// Pictures of autograd graphs, like torchviz's make_dot: outputs in green, leaves in light blue (named
/// when they appear in <c>parameters</c>), saved tensors in orange, backward nodes in grey.
/// </summary>
public static class GraphViz
{
    public static Digraph MakeDot(Tensor output, Dictionary<string, Tensor>? parameters = null, bool showSaved = false) =>
        MakeDot([output], parameters, showSaved);

    /// <summary>One picture for several outputs.</summary>
    public static Digraph MakeDot(IReadOnlyList<Tensor> outputs, Dictionary<string, Tensor>? parameters = null, bool showSaved = false)
    {
        var builder = new Builder(parameters ?? [], showSaved);
        foreach (var output in outputs)
        {
            builder.AddOutput(output);
        }

        return builder.Graph;
    }

    private sealed class Builder(Dictionary<string, Tensor> parameters, bool showSaved)
    {
        private readonly Dictionary<object, string> _ids = new(ReferenceEqualityComparer.Instance);
        private readonly HashSet<object> _seen = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<object, string> _names = parameters.ToDictionary(kv => (object)kv.Value, kv => kv.Key, ReferenceEqualityComparer.Instance);

        public Digraph Graph { get; } = new();

        public void AddOutput(Tensor output)
        {
            if (!_seen.Add(output))
            {
                return;
            }

            Graph.Node(Id(output), Label(output), "darkolivegreen1");
            if (output.GradFn is { } fn)
            {
                AddNodes(fn);
                Graph.Edge(Id(fn), Id(output));
            }
        }

        private void AddNodes(Node root)
        {
            var stack = new Stack<Node>();
            stack.Push(root);
            while (stack.TryPop(out var fn))
            {
                if (!_seen.Add(fn))
                {
                    continue;
                }

                if (fn is AccumulateGrad accumulator)
                {
                    var leaf = accumulator.Variable;
                    _seen.Add(leaf);
                    Graph.Node(Id(leaf), Label(leaf), "lightblue");
                    Graph.Edge(Id(leaf), Id(fn));
                }

                Graph.Node(Id(fn), fn.Name);
                foreach (var (next, _) in fn.Edges)
                {
                    if (next != null)
                    {
                        Graph.Edge(Id(next), Id(fn));
                        stack.Push(next);
                    }
                }

                if (showSaved)
                {
                    foreach (var saved in fn.HeldTensors.Where(t => !t.IsWrappedNumber))
                    {
                        _seen.Add(saved);
                        Graph.Edge(Id(saved), Id(fn), "dir=none");
                        Graph.Node(Id(saved), Label(saved), "orange");
                    }
                }
            }
        }

        private string Id(object item)
        {
            if (!_ids.TryGetValue(item, out var id))
            {
                id = $"n{_ids.Count}";
                _ids[item] = id;
            }

            return id;
        }

        // torchviz's get_var_name: the parameter's name (or nothing) and the size, e.g. "x\n ()".
        private string Label(Tensor t) => $"{_names.GetValueOrDefault(t, string.Empty)}\n ({string.Join(", ", t.ShapeRef)})";
    }
}
