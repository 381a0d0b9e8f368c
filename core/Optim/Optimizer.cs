namespace DistGrad.Optim;

/// <summary>
/// The base of optimizers (torch.optim.Optimizer): parameter groups with per-group hyperparameters,
/// per-parameter state, <see cref="ZeroGrad"/>, and a flat, tensor-only state dict. Subclasses update
/// the parameters in place under <see cref="Autograd.NoGrad"/>, so parameters stay the same objects
/// that the model holds.
/// </summary>
public abstract partial class Optimizer
{
    private readonly List<ParamGroup> _paramGroups = [];
    private readonly KeyValuePair<string, double>[] _defaults;

    // Keyed by identity: a parameter's state belongs to that tensor object, as PyTorch's optimizer.state.
    private readonly Dictionary<Tensor, Dictionary<string, Tensor>> _state = new(ReferenceEqualityComparer.Instance);

    /// <summary>One group over <paramref name="parameters"/> with the optimizer's options.</summary>
    protected Optimizer(IEnumerable<Tensor> parameters, IEnumerable<KeyValuePair<string, double>> defaults)
        : this(SingleGroup(parameters), defaults)
    {
    }

    /// <summary>Several groups; an option a group does not set comes from <paramref name="defaults"/>.</summary>
    protected Optimizer(IEnumerable<ParamGroup> paramGroups, IEnumerable<KeyValuePair<string, double>> defaults)
    {
        ArgumentNullException.ThrowIfNull(paramGroups);
        ArgumentNullException.ThrowIfNull(defaults);
        _defaults = defaults.ToArray();

        // The constructor's own arguments are checked first, as PyTorch checks them before any group.
        var defaultsGroup = new ParamGroup([]);
        foreach (var (name, value) in _defaults)
        {
            defaultsGroup[name] = value;
        }

        CheckOptions(defaultsGroup);

        var groups = paramGroups.ToArray();
        if (groups.Length == 0)
        {
            throw new ArgumentException("optimizer got an empty parameter list");
        }

        foreach (var group in groups)
        {
            AddParamGroup(group);
        }
    }

    /// <summary>The groups, in order; their options (learning rate included) may be changed between steps.</summary>
    public IReadOnlyList<ParamGroup> ParamGroups => _paramGroups;

    /// <summary>The option names this optimizer knows, with the values its constructor was given.</summary>
    public IReadOnlyList<KeyValuePair<string, double>> Defaults => _defaults;

    /// <summary>Every parameter of every group, in order.</summary>
    internal IEnumerable<Tensor> AllParams => _paramGroups.SelectMany(g => g.Params);

    /// <summary>
    /// The names of a parameter's state entries once it has been stepped ("momentum_buffer"; "step",
    /// "exp_avg", "exp_avg_sq"). An entry named "step" is an Int64 scalar; the others have the parameter's shape.
    /// </summary>
    protected abstract IReadOnlyList<string> StateKeys { get; }

    /// <summary>
    /// Adds a group (PyTorch's add_param_group), e.g. to train layers unfrozen later. The group is copied;
    /// options it lacks are filled from the constructor's arguments.
    /// </summary>
    public void AddParamGroup(ParamGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        var added = group.Copy();
        foreach (var (name, _) in added.Options)
        {
            if (!_defaults.Any(d => d.Key == name))
            {
                throw new ArgumentException($"unknown option '{name}' in a parameter group of {GetType().Name}; its options are {string.Join(", ", _defaults.Select(d => d.Key))}");
            }
        }

        foreach (var (name, value) in _defaults)
        {
            if (!added.HasOption(name))
            {
                added[name] = value;
            }
        }

        CheckOptions(added);
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var p in added.Params)
        {
            CheckParameter(p);
            if (!seen.Add(p))
            {
                // PyTorch only warns here ("in future, this will cause an error"): a duplicate would be stepped twice.
                throw new ArgumentException("optimizer contains a parameter group with duplicate parameters");
            }
        }

        if (AllParams.Any(seen.Contains))
        {
            throw new ArgumentException("some parameters appear in more than one parameter group");
        }

        _paramGroups.Add(added);
    }

    /// <summary>
    /// Clears the gradients: sets them to null (the default, as PyTorch 2), or with
    /// <paramref name="setToNone"/> false zeroes them in place.
    /// </summary>
    public void ZeroGrad(bool setToNone = true)
    {
        foreach (var p in AllParams)
        {
            if (p.Grad is not { } grad)
            {
                continue;
            }

            if (setToNone)
            {
                p.Grad = null;
                continue;
            }

            // As PyTorch's detach_() / requires_grad_(False): a gradient built with createGraph stops being part of a graph.
            if (grad.GradFn != null)
            {
                grad = grad.Detach();
                p.Grad = grad;
            }
            else if (grad.RequiresGrad)
            {
                grad.RequiresGrad = false;
            }

            using (Autograd.NoGrad())
            {
                grad.ZeroInPlace();
            }
        }
    }

    /// <summary>Updates every parameter whose Grad is not null, in place, once.</summary>
    public abstract void Step();

    /// <summary>A parameter's state (empty before its first step); the tensors are live.</summary>
    public IReadOnlyDictionary<string, Tensor> GetState(Tensor parameter) =>
        _state.TryGetValue(parameter, out var state) ? state : new Dictionary<string, Tensor>();

    /// <summary>A parameter's state for a subclass to read and fill (created empty on first use).</summary>
    protected Dictionary<string, Tensor> State(Tensor parameter)
    {
        if (!_state.TryGetValue(parameter, out var state))
        {
            state = [];
            _state[parameter] = state;
        }

        return state;
    }

    /// <summary>Throws for options out of range, with PyTorch's wording; called for the constructor's arguments and each group.</summary>
    protected abstract void CheckOptions(ParamGroup group);

    private static void CheckParameter(Tensor p)
    {
        ArgumentNullException.ThrowIfNull(p);
        if (!(p.IsLeaf || p.RetainsGrad))
        {
            throw new ArgumentException("can't optimize a non-leaf Tensor");
        }

        if (!p.DType.IsFloating())
        {
            throw new ArgumentException($"optimizer can only optimize Tensors of floating point dtype, but one of the params is {p.DType.TorchName()}");
        }
    }

    private static IEnumerable<ParamGroup> SingleGroup(IEnumerable<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var list = parameters.ToArray();
        return list.Length == 0 ? [] : [new ParamGroup(list)];
    }
}
