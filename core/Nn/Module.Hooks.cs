namespace DistGrad.Nn;

public abstract partial class Module
{
    private readonly List<Func<Module, Tensor, Tensor?>> _forwardPreHooks = [];
    private readonly List<Func<Module, Tensor, Tensor, Tensor?>> _forwardHooks = [];
    private readonly List<Func<Module, Tensor?[], Tensor?[], Tensor?[]?>> _backwardHooks = [];

    /// <summary>(module, input) → a replacement input, or null to keep it; runs before the computation.</summary>
    public HookHandle RegisterForwardPreHook(Func<Module, Tensor, Tensor?> hook) => Add(_forwardPreHooks, hook);

    /// <summary>(module, input, output) → a replacement output, or null to keep it; runs after the computation.</summary>
    public HookHandle RegisterForwardHook(Func<Module, Tensor, Tensor, Tensor?> hook) => Add(_forwardHooks, hook);

    /// <summary>
    /// (module, gradInput, gradOutput) → a replacement gradInput, or null to keep it. Called once the
    /// gradients of the module's input are known (PyTorch's register_full_backward_hook); gradInput is
    /// [null] when the input does not require grad.
    /// </summary>
    public HookHandle RegisterFullBackwardHook(Func<Module, Tensor?[], Tensor?[], Tensor?[]?> hook) => Add(_backwardHooks, hook);

    /// <summary>Forward with the hooks around <paramref name="compute"/> (also used by modules with extra arguments).</summary>
    protected Tensor RunWithHooks(Tensor input, Func<Tensor, Tensor> compute)
    {
        foreach (var hook in _forwardPreHooks.ToArray())
        {
            input = hook(this, input) ?? input;
        }

        var backward = _backwardHooks.Count > 0 && Autograd.IsGradEnabled ? new BackwardHookScope(this, _backwardHooks.ToArray()) : null;
        if (backward != null)
        {
            input = backward.WrapInput(input);
        }

        var output = compute(input);
        foreach (var hook in _forwardHooks.ToArray())
        {
            output = hook(this, input, output) ?? output;
        }

        return backward != null ? backward.WrapOutput(output) : output;
    }

    private static HookHandle Add<T>(List<T> hooks, T hook)
    {
        hooks.Add(hook);
        return new HookHandle(() => hooks.Remove(hook));
    }
}
