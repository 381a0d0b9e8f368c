namespace DistGrad.Distributed.Gradients;

/// <summary>
/// Runs user functions on gradients at its place in the gradient pipeline: before the all-reduce they see this
/// replica's own gradients, after it the averaged ones. A hook may change a gradient in place or replace it
/// by returning a new tensor of the same shape.
/// </summary>
public sealed class GradientHooks : IGradientProcessor
{
    private readonly Func<string, Tensor, Tensor?>? _perParameter;
    private readonly Action<GradientContext>? _all;

    /// <summary>Calls <paramref name="hook"/> with each parameter's name and gradient; a non-null result replaces the gradient.</summary>
    public GradientHooks(Func<string, Tensor, Tensor?> hook, string name = "Hooks")
    {
        _perParameter = hook ?? throw new ArgumentNullException(nameof(hook));
        Name = name;
    }

    /// <summary>Calls <paramref name="hook"/> once with the whole context (all parameters, the step, the groups).</summary>
    public GradientHooks(Action<GradientContext> hook, string name = "Hooks")
    {
        _all = hook ?? throw new ArgumentNullException(nameof(hook));
        Name = name;
    }

    public string Name { get; }

    /// <summary>A processor that runs <paramref name="hook"/> on the gradient of the parameter named <paramref name="parameterName"/> only.</summary>
    public static GradientHooks ForParameter(string parameterName, Func<Tensor, Tensor?> hook) =>
        new((name, grad) => name == parameterName ? hook(grad) : null, $"Hooks({parameterName})");

    public void Run(GradientContext context)
    {
        if (_all != null)
        {
            _all(context);
            return;
        }

        foreach (var (name, parameter) in context.Parameters)
        {
            if (parameter.Grad is { } grad && _perParameter!(name, grad) is { } replaced)
            {
                parameter.Grad = replaced;
            }
        }
    }
}
