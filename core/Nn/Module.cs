namespace DistGrad.Nn;

/// <summary>
/// A layer or a model (torch.nn.Module). Subclasses register their parameters, buffers and children in
/// the constructor — the registration order is PyTorch's listing order — and supply their computation
/// in <see cref="Compute"/>; callers run a module with <see cref="Forward"/>, which runs the hooks around it.
/// </summary>
public abstract partial class Module
{
    private readonly List<(string Name, Tensor? Value)> _parameters = [];
    private readonly List<(string Name, Tensor Value)> _buffers = [];
    private readonly List<(string Name, Module Value)> _children = [];

    /// <summary>True after construction and <see cref="Train"/>; false after <see cref="Eval"/>.</summary>
    public bool IsTraining { get; private set; } = true;

    /// <summary>Runs the module: forward pre-hooks, <see cref="Compute"/>, forward hooks, and sets up full backward hooks.</summary>
    public Tensor Forward(Tensor input) => RunWithHooks(input, Compute);

    /// <summary>The module's own computation. Callers use <see cref="Forward"/>.</summary>
    protected abstract Tensor Compute(Tensor input);

    /// <summary>Sets training mode on this module and every descendant; returns this module.</summary>
    public Module Train(bool mode = true)
    {
        IsTraining = mode;
        foreach (var (_, child) in _children)
        {
            child.Train(mode);
        }

        return this;
    }

    /// <summary>Evaluation mode (dropout off, batch norm uses running statistics).</summary>
    public Module Eval() => Train(false);

    /// <summary>Freezes (false) or unfreezes every parameter; returns this module.</summary>
    public Module SetRequiresGrad(bool requiresGrad = true)
    {
        foreach (var p in Parameters())
        {
            p.RequiresGrad = requiresGrad;
        }

        return this;
    }

    /// <summary>The direct children, in registration order.</summary>
    public IEnumerable<Module> Children() => _children.Select(c => c.Value);

    public IEnumerable<(string Name, Module Module)> NamedChildren() => _children;

    /// <summary>This module and all descendants, pre-order, with dotted names ("" for this one).</summary>
    public IEnumerable<(string Name, Module Module)> NamedModules(string prefix = "")
    {
        yield return (prefix, this);
        foreach (var (name, child) in _children)
        {
            foreach (var item in child.NamedModules(Join(prefix, name)))
            {
                yield return item;
            }
        }
    }

    public IEnumerable<Module> Modules() => NamedModules().Select(m => m.Module);

    /// <summary>Every parameter once, in PyTorch's order.</summary>
    public IEnumerable<Tensor> Parameters() => NamedParameters().Select(p => p.Parameter);

    /// <summary>Parameters with PyTorch's dotted names ("0.weight"), each tensor once even when shared.</summary>
    public IEnumerable<(string Name, Tensor Parameter)> NamedParameters()
    {
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var (prefix, module) in NamedModules())
        {
            foreach (var (name, value) in module._parameters)
            {
                if (value != null && seen.Add(value))
                {
                    yield return (Join(prefix, name), value);
                }
            }
        }
    }

    public IEnumerable<(string Name, Tensor Buffer)> NamedBuffers()
    {
        foreach (var (prefix, module) in NamedModules())
        {
            foreach (var (name, value) in module._buffers)
            {
                yield return (Join(prefix, name), value);
            }
        }
    }

    /// <summary>Registers a parameter (a leaf that requires grad); null registers an absent one (e.g. no bias).</summary>
    protected Tensor? RegisterParameter(string name, Tensor? value)
    {
        CheckName(name);
        if (value != null)
        {
            if (!value.IsLeaf)
            {
                throw new ArgumentException($"cannot register '{name}' as a parameter: it is not a leaf tensor (it has grad_fn {value.GradFn})");
            }

            value.RequiresGrad = true;
        }

        _parameters.Add((name, value));
        return value;
    }

    /// <summary>Registers state that is saved in the state dict but not trained (running statistics).</summary>
    protected Tensor RegisterBuffer(string name, Tensor value)
    {
        CheckName(name);
        _buffers.Add((name, value));
        return value;
    }

    /// <summary>Registers a child module under <paramref name="name"/>.</summary>
    protected T RegisterModule<T>(string name, T module)
        where T : Module
    {
        CheckName(name);
        _children.Add((name, module));
        return module;
    }

    /// <summary>PyTorch's printed layout of a module: its name and options, then children indented.</summary>
    public override string ToString()
    {
        var name = GetType().Name;
        if (_children.Count == 0)
        {
            return $"{name}({ExtraRepr()})";
        }

        var lines = _children.Select(c => $"  ({c.Name}): {c.Value.ToString().Replace("\n", "\n  ")}");
        return $"{name}(\n{string.Join("\n", lines)}\n)";
    }

    /// <summary>The options shown between the parentheses, e.g. "in_features=784, out_features=256, bias=True".</summary>
    protected virtual string ExtraRepr() => string.Empty;

    private void CheckName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('.'))
        {
            throw new ArgumentException($"a module member name must be non-empty and contain no \".\", got \"{name}\"", nameof(name));
        }

        if (_parameters.Any(p => p.Name == name) || _buffers.Any(b => b.Name == name) || _children.Any(c => c.Name == name))
        {
            throw new ArgumentException($"attribute '{name}' already exists in {GetType().Name}", nameof(name));
        }
    }

    private static string Join(string prefix, string name) => prefix.Length == 0 ? name : $"{prefix}.{name}";
}
