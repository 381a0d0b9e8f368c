namespace DistGrad;

/// <summary>Entry points of the autograd engine that are not methods of a tensor.</summary>
public static partial class Autograd
{
    /// <summary>
    /// Gradients of <paramref name="outputs"/> with respect to <paramref name="inputs"/>, without touching any
    /// <see cref="Tensor.Grad"/>. With <paramref name="createGraph"/> the results are themselves differentiable.
    /// </summary>
    public static Tensor?[] Grad(
        IReadOnlyList<Tensor> outputs,
        IReadOnlyList<Tensor> inputs,
        IReadOnlyList<Tensor?>? gradOutputs = null,
        bool? retainGraph = null,
        bool createGraph = false,
        bool allowUnused = false)
    {
        if (inputs.Count == 0)
        {
            throw new ArgumentException("grad requires at least one input", nameof(inputs));
        }

        var grads = MakeRootGrads(outputs, gradOutputs);
        var result = Engine.Run(outputs, grads, retainGraph ?? createGraph, createGraph, inputs, accumulate: false);
        if (!allowUnused && result.Any(r => r == null))
        {
            throw new InvalidOperationException(
                "One of the differentiated Tensors appears to not have been used in the graph. Set allowUnused: true if this is the desired behavior.");
        }

        return result;
    }

    /// <summary>One output, any number of inputs.</summary>
    public static Tensor?[] Grad(Tensor output, params Tensor[] inputs) => Grad([output], inputs);

    /// <summary>One output and one input, with the same options as the general form.</summary>
    public static Tensor? Grad(
        Tensor output, Tensor input, Tensor? gradOutput = null, bool? retainGraph = null, bool createGraph = false, bool allowUnused = false) =>
        Grad([output], [input], gradOutput == null ? null : [gradOutput], retainGraph, createGraph, allowUnused)[0];

    /// <summary>Backward from several roots at once (torch.autograd.backward).</summary>
    public static void Backward(
        IReadOnlyList<Tensor> tensors,
        IReadOnlyList<Tensor?>? gradTensors = null,
        bool? retainGraph = null,
        bool createGraph = false,
        IReadOnlyList<Tensor>? inputs = null)
    {
        var grads = MakeRootGrads(tensors, gradTensors);
        Engine.Run(tensors, grads, retainGraph ?? createGraph, createGraph, inputs is { Count: > 0 } ? inputs : null, accumulate: true);
    }

    /// <summary>The seed gradient of each root: given, or ones for a scalar.</summary>
    private static Tensor[] MakeRootGrads(IReadOnlyList<Tensor> outputs, IReadOnlyList<Tensor?>? gradOutputs)
    {
        if (gradOutputs != null && gradOutputs.Count != outputs.Count)
        {
            throw new ArgumentException($"got {gradOutputs.Count} gradients for {outputs.Count} outputs");
        }

        var grads = new Tensor[outputs.Count];
        for (var i = 0; i < outputs.Count; i++)
        {
            var output = outputs[i];
            if (!output.RequiresGrad)
            {
                throw new InvalidOperationException($"element {i} of tensors does not require grad and does not have a grad_fn");
            }

            var given = gradOutputs?[i];
            if (given == null)
            {
                if (output.Numel != 1)
                {
                    throw new InvalidOperationException("grad can be implicitly created only for scalar outputs");
                }

                grads[i] = Tensor.OnesLike(output);
                continue;
            }

            if (!Shapes.SameShape(given.ShapeRef, output.ShapeRef))
            {
                throw new ArgumentException(
                    $"Mismatch in shape: grad_output[{i}] has a shape of {Shapes.Format(given.ShapeRef)} and output[{i}] has a shape of {Shapes.Format(output.ShapeRef)}.");
            }

            // PyTorch casts a seed gradient of another real dtype (even Int64) to the output's dtype.
            grads[i] = given.DType == output.DType ? given : given.Detach().To(output.DType);
        }

        return grads;
    }
}
