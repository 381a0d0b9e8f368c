namespace DistGrad.Nn;

/// <summary>
/// One forward's full-backward-hook bookkeeping, as PyTorch's BackwardHook does it: the input and the
/// output pass through identity functions; the output's node records the output gradient, the input's
/// node calls the hooks with both and lets them replace the input gradient.
/// </summary>
internal sealed class BackwardHookScope(Module module, Func<Module, Tensor?[], Tensor?[], Tensor?[]?>[] hooks)
{
    private Tensor?[]? _gradOutputs;
    private bool _inputRequiresGrad;

    public Tensor WrapInput(Tensor input)
    {
        _inputRequiresGrad = input.RequiresGrad;
        if (!_inputRequiresGrad)
        {
            return input;
        }

        var wrapped = BackwardHookFunction.Apply(input);
        wrapped.GradFn!.RegisterHook((gradInputs, _) => CallHooks(gradInputs));
        return wrapped;
    }

    public Tensor WrapOutput(Tensor output)
    {
        if (!output.RequiresGrad)
        {
            return output;
        }

        var wrapped = BackwardHookFunction.Apply(output);
        wrapped.GradFn!.RegisterPrehook(gradOutputs =>
        {
            _gradOutputs = (Tensor?[])gradOutputs.Clone();
            if (!_inputRequiresGrad)
            {
                // No input gradient will come: the hooks run now, with gradInput = [null], as in PyTorch.
                CallHooks([null]);
            }

            return null;
        });
        return wrapped;
    }

    private Tensor?[]? CallHooks(Tensor?[] gradInputs)
    {
        Tensor?[]? replaced = null;
        foreach (var hook in hooks)
        {
            if (hook(module, replaced ?? gradInputs, _gradOutputs ?? [null]) is { } result)
            {
                if (result.Length != gradInputs.Length)
                {
                    throw new InvalidOperationException(
                        $"a full backward hook of {module.GetType().Name} returned {result.Length} gradients, but the module has {gradInputs.Length} input(s)");
                }

                replaced = result;
            }
        }

        return _inputRequiresGrad ? replaced : null;
    }

    /// <summary>The identity whose node carries the hooks (PyTorch names it BackwardHookFunctionBackward).</summary>
    private sealed class BackwardHookFunction : Function<BackwardHookFunction>
    {
        public override Tensor Forward(FunctionContext ctx, Tensor input) => input.Detach();

        public override Tensor?[] Backward(FunctionContext ctx, Tensor gradOutput) => [gradOutput];
    }
}
