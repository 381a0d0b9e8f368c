namespace DistGrad;

/// <summary>How ops record themselves: one call after computing the forward result.</summary>
internal static class Graph
{
    /// <summary>Whether an op over these inputs must record a node.</summary>
    public static bool ShouldRecord(ReadOnlySpan<Tensor> inputs)
    {
        if (!Autograd.IsGradEnabled)
        {
            return false;
        }

        foreach (var t in inputs)
        {
            if (t.RequiresGrad)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Attaches a node named <paramref name="name"/> to <paramref name="output"/> when grad mode is on and an
    /// input requires grad. <paramref name="saved"/> are kept (version-checked) for <paramref name="backward"/>;
    /// backward rules reach tensors only through them, so freeing the graph frees the tensors.
    /// </summary>
    public static Tensor Record(string name, Tensor output, ReadOnlySpan<Tensor> inputs, Tensor?[]? saved, BackwardFn backward, object? state = null)
    {
        if (!ShouldRecord(inputs))
        {
            return output;
        }

        var edges = new (Node? Node, int InputNr)[inputs.Length];
        var metas = new InputMeta[inputs.Length];
        for (var i = 0; i < inputs.Length; i++)
        {
            edges[i] = inputs[i].GradientEdge();
            metas[i] = new InputMeta(inputs[i].ShapeRef, inputs[i].DType, inputs[i].Device);
        }

        var node = new OpNode(name, backward, edges, metas, output, saved, state);
        if (Autograd.IsAnomalyEnabled)
        {
            node.ForwardTrace = Autograd.CaptureForwardSite();
        }

        output.GradFn = node;
        output.OutputNr = 0;
        return output;
    }
}
