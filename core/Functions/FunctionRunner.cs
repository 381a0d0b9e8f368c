namespace DistGrad;

/// <summary>How a custom function's Apply runs: forward without recording, then one node over its outputs.</summary>
internal static class FunctionRunner
{
    public static Tensor[] Run<TSelf>(Function<TSelf> function, string name, object?[] args)
        where TSelf : Function<TSelf>, new()
    {
        var tensorArgs = args.Select((a, i) => (Tensor: a as Tensor, Index: i)).Where(x => x.Tensor != null).ToArray();
        var record = Autograd.IsGradEnabled && tensorArgs.Any(x => x.Tensor!.RequiresGrad);
        var ctx = new FunctionContext(args.Select(a => record && a is Tensor { RequiresGrad: true }).ToArray());

        Tensor[] outputs;
        using (Autograd.NoGrad())
        {
            outputs = function.ForwardMany(ctx, args);
        }

        foreach (var dirty in ctx.Dirty)
        {
            if (!tensorArgs.Any(x => ReferenceEquals(x.Tensor, dirty)))
            {
                throw new InvalidOperationException($"{name}: MarkDirty was given a tensor that is not an input of the function");
            }

            if (record && dirty is { IsLeaf: true, RequiresGrad: true })
            {
                throw new InvalidOperationException("a leaf Variable that requires grad has been used in an in-place operation.");
            }
        }

        if (!record)
        {
            ctx.SealSaved();
            return outputs;
        }

        var node = new FunctionNode<TSelf>(name, function, ctx, args, tensorArgs.Select(x => x.Tensor!).ToArray(), outputs.Length);
        for (var i = 0; i < outputs.Length; i++)
        {
            node.SetOutputMeta(i, outputs[i]);
            outputs[i] = Attach(outputs[i], i, node, ctx, tensorArgs.Select(x => x.Tensor!));
        }

        // Saved tensors are versioned after forward: a dirty input saved for backward is saved as modified.
        ctx.SealSaved();
        return outputs;
    }

    private static Tensor Attach(Tensor output, int index, Node node, FunctionContext ctx, IEnumerable<Tensor> inputs)
    {
        if (ctx.NonDifferentiable.Contains(output))
        {
            return output;
        }

        if (ctx.Dirty.Contains(output))
        {
            // The input was changed in place: it now carries this function's history, one version later.
            output.Storage.Version++;
            output.GradFn = node;
            output.OutputNr = index;
            return output;
        }

        // An input returned unchanged must not lose its own history: hand out an alias that has the new one.
        var result = inputs.Any(t => ReferenceEquals(t, output)) ? output.Detach() : output;
        result.GradFn = node;
        result.OutputNr = index;
        return result;
    }
}
