namespace DistGrad.Optim;

/// <summary>
/// The base of learning-rate schedulers (PyTorch 1.13's _LRScheduler): each <see cref="Step"/> moves
/// <see cref="LastEpoch"/> on and writes a new learning rate into every parameter group. Call it after
/// <see cref="Optimizer.Step"/>. As PyTorch's, the constructor records each group's initial_lr and takes
/// the first step (to epoch 0) itself.
/// </summary>
/// <remarks>
/// Because the constructor already calls <see cref="ComputeLr"/>, a subclass must have its settings in
/// place before the base constructor runs: set them in field initializers (from a primary constructor),
/// not in a constructor body.
/// </remarks>
public abstract class LRScheduler
{
    private double[] _lastLr = [];

    /// <summary>Attaches to <paramref name="optimizer"/> and takes the first step.</summary>
    /// <param name="optimizer">The optimizer whose groups' learning rates it sets.</param>
    /// <param name="lastEpoch">-1 to start; otherwise the epoch to resume after, which needs every group's initial_lr.</param>
    protected LRScheduler(Optimizer optimizer, int lastEpoch = -1)
        : this(optimizer, baseLrs: [])
    {
        var groups = optimizer.ParamGroups;
        for (var i = 0; i < groups.Count; i++)
        {
            if (lastEpoch == -1)
            {
                groups[i].InitialLr ??= groups[i].Lr;
            }
            else if (groups[i].InitialLr == null)
            {
                throw new KeyNotFoundException($"param 'initial_lr' is not specified in param_groups[{i}] when resuming an optimizer");
            }
        }

        BaseLrs = groups.Select(g => g.InitialLr!.Value).ToArray();
        LastEpoch = lastEpoch;
        InitialStep();
    }

    /// <summary>Only attaches, without a first step: SequentialLR sets its own epoch and steps its schedulers itself.</summary>
    private protected LRScheduler(Optimizer optimizer, IReadOnlyList<double> baseLrs)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        Optimizer = optimizer;
        BaseLrs = baseLrs;
    }

    public Optimizer Optimizer { get; }

    /// <summary>Each group's initial learning rate, which the schedules start from.</summary>
    public IReadOnlyList<double> BaseLrs { get; private set; }

    /// <summary>The number of steps taken since epoch 0 (-1 before the constructor's first step).</summary>
    public int LastEpoch { get; internal set; }

    /// <summary>How many times <see cref="Step"/> ran, the constructor's first step included (PyTorch's _step_count).</summary>
    protected int StepCount { get; private set; }

    /// <summary>The learning rate of each group as the last step set it.</summary>
    public IReadOnlyList<double> GetLastLr() => _lastLr;

    /// <summary>Moves to the next epoch and sets every group's learning rate.</summary>
    public virtual void Step()
    {
        StepCount++;
        LastEpoch++;
        Apply(ComputeLr());
    }

    /// <summary>
    /// Jumps to <paramref name="epoch"/>, using the closed form where the schedule has one (PyTorch's
    /// deprecated step(epoch); SequentialLR uses it to restart a schedule at 0).
    /// </summary>
    internal void StepTo(int epoch)
    {
        StepCount++;
        LastEpoch = epoch;
        Apply(ClosedFormLr() ?? ComputeLr());
    }

    /// <summary>PyTorch's _initial_step: counts restart and the schedule moves to its next epoch.</summary>
    internal void InitialStep()
    {
        StepCount = 0;
        Step();
    }

    /// <summary>
    /// The learning rates for <see cref="LastEpoch"/>, computed (as PyTorch's get_lr) from the groups' current
    /// rates where the schedule is recursive, so that other changes to the rates compose with it.
    /// </summary>
    protected abstract IReadOnlyList<double> ComputeLr();

    /// <summary>The rates at <see cref="LastEpoch"/> from <see cref="BaseLrs"/> alone, or null for a schedule without a closed form.</summary>
    protected virtual IReadOnlyList<double>? ClosedFormLr() => null;

    /// <summary>The current learning rate of every group.</summary>
    protected IEnumerable<double> GroupLrs => Optimizer.ParamGroups.Select(g => g.Lr);

    /// <summary>
    /// The scheduler's state: "last_epoch", "_step_count", "base_lrs.{i}", "_last_lr.{i}" and the
    /// schedule's settings, as Float64 or Int64 scalars.
    /// </summary>
    public virtual IReadOnlyDictionary<string, Tensor> StateDict()
    {
        var result = new OrderedDictionary<string, Tensor>();
        foreach (var (name, value) in Settings())
        {
            result[name] = value;
        }

        result["last_epoch"] = Tensor.Scalar((long)LastEpoch);
        result["_step_count"] = Tensor.Scalar((long)StepCount);
        AddList(result, "base_lrs", BaseLrs);
        AddList(result, "_last_lr", _lastLr);
        return result;
    }

    /// <summary>
    /// Restores a state from <see cref="StateDict"/> (settings included, as PyTorch's); the groups' rates
    /// are not touched. Missing, malformed or unexpected keys throw before anything changes.
    /// </summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> stateDict)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        PrepareLoad(stateDict)();
    }

    /// <summary>Checks a state dict and returns what applies it, so that a composite scheduler can check all its parts first.</summary>
    internal virtual Action PrepareLoad(IReadOnlyDictionary<string, Tensor> stateDict)
    {
        var reader = new ScalarStateReader(GetType().Name, stateDict);
        var settings = Settings().Select(s => (s.Name, Value: reader.Number(s.Name))).ToArray();
        var lastEpoch = reader.Integer("last_epoch");
        var stepCount = reader.Integer("_step_count");
        var groupCount = Optimizer.ParamGroups.Count;
        var baseLrs = reader.List("base_lrs", groupCount);
        var lastLr = reader.List("_last_lr", groupCount);
        reader.ThrowIfInvalid();

        return () =>
        {
            foreach (var (name, value) in settings)
            {
                LoadSetting(name, value);
            }

            LastEpoch = (int)lastEpoch;
            StepCount = (int)stepCount;
            BaseLrs = baseLrs;
            _lastLr = lastLr;
        };
    }

    /// <summary>The schedule's settings by PyTorch's names ("step_size", "gamma", ...), saved in the state dict.</summary>
    protected abstract IEnumerable<(string Name, Tensor Value)> Settings();

    /// <summary>Sets one of <see cref="Settings"/> from a loaded state dict.</summary>
    protected abstract void LoadSetting(string name, double value);

    /// <summary>Writes the rates into the groups (as PyTorch, last_lr is read back from the groups).</summary>
    private protected void Apply(IReadOnlyList<double> lrs)
    {
        var groups = Optimizer.ParamGroups;
        for (var i = 0; i < groups.Count && i < lrs.Count; i++)
        {
            groups[i].Lr = lrs[i];
        }

        _lastLr = GroupLrs.ToArray();
    }

    private protected void SetLastLr(IReadOnlyList<double> lastLr) => _lastLr = lastLr.ToArray();

    private protected static void AddList(OrderedDictionary<string, Tensor> dict, string name, IEnumerable<double> values)
    {
        var i = 0;
        foreach (var value in values)
        {
            dict[$"{name}.{i++}"] = Tensor.Scalar(value);
        }
    }
}
