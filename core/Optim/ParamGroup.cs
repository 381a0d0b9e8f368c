namespace DistGrad.Optim;

/// <summary>
/// Parameters optimized together with their own hyperparameters (one entry of PyTorch's
/// optimizer.param_groups). Options are keyed by PyTorch's names ("lr", "momentum", "weight_decay",
/// "beta1", "beta2", ...); a group given to an optimizer's constructor may set some of them, and the
/// optimizer fills in the rest from its own arguments. Schedulers change <see cref="Lr"/> between steps.
/// </summary>
public sealed class ParamGroup
{
    // Insertion order is kept so that state dicts list a group's options in a stable order.
    private readonly Dictionary<string, double> _options = [];
    private readonly List<string> _order = [];

    /// <summary>A group over <paramref name="parameters"/> (enumerated once, now).</summary>
    public ParamGroup(IEnumerable<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Params = parameters.ToArray();
    }

    public IReadOnlyList<Tensor> Params { get; }

    /// <summary>A hyperparameter by PyTorch's name; booleans (nesterov) are 0 or 1.</summary>
    public double this[string option]
    {
        get => _options.TryGetValue(option, out var value)
            ? value
            : throw new KeyNotFoundException($"this parameter group has no option '{option}' (it has {string.Join(", ", _order)})");
        set
        {
            if (_options.TryAdd(option, value))
            {
                _order.Add(option);
            }
            else
            {
                _options[option] = value;
            }
        }
    }

    /// <summary>The learning rate, which schedulers set before each step.</summary>
    public double Lr
    {
        get => this["lr"];
        set => this["lr"] = value;
    }

    /// <summary>The learning rate a scheduler started from (PyTorch's initial_lr); null until a scheduler is attached.</summary>
    public double? InitialLr { get; set; }

    /// <summary>The options in the order they were first set.</summary>
    public IEnumerable<KeyValuePair<string, double>> Options => _order.Select(k => KeyValuePair.Create(k, _options[k]));

    public bool HasOption(string option) => _options.ContainsKey(option);

    /// <summary>A group over the same parameters with a copy of the options, so that a caller's group object is not shared.</summary>
    internal ParamGroup Copy()
    {
        var copy = new ParamGroup(Params) { InitialLr = InitialLr };
        foreach (var (key, value) in Options)
        {
            copy[key] = value;
        }

        return copy;
    }
}
