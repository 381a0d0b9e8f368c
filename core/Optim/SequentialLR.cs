namespace DistGrad.Optim;

/// <summary>
/// Runs schedulers one after another, switching at the milestone epochs
/// (torch.optim.lr_scheduler.SequentialLR of PyTorch 1.13): e.g. a <see cref="LinearLR"/> warm-up for
/// <c>w</c> epochs, then <see cref="CosineAnnealingLR"/> restarted from the initial rate at epoch <c>w</c>:
/// <code>new SequentialLR(opt, [new LinearLR(opt, 0.1, totalIters: w), new CosineAnnealingLR(opt, tMax)], [w])</code>
/// Construct the schedulers over the same optimizer right before; their own first steps are undone here.
/// </summary>
public sealed class SequentialLR : LRScheduler
{
    private readonly LRScheduler[] _schedulers;
    private int[] _milestones;

    public SequentialLR(Optimizer optimizer, IEnumerable<LRScheduler> schedulers, IEnumerable<int> milestones, int lastEpoch = -1)
        : base(optimizer, InitialLrs(optimizer))
    {
        ArgumentNullException.ThrowIfNull(schedulers);
        ArgumentNullException.ThrowIfNull(milestones);
        _schedulers = schedulers.ToArray();
        _milestones = milestones.ToArray();
        if (_schedulers.Length == 0)
        {
            throw new ArgumentException("Sequential Schedulers expects at least one scheduler");
        }

        for (var i = 0; i < _schedulers.Length; i++)
        {
            if (!ReferenceEquals(_schedulers[i].Optimizer, optimizer))
            {
                throw new ArgumentException(
                    "Sequential Schedulers expects all schedulers to belong to the same optimizer, but " +
                    $"got schedulers at index {i} to be different than the optimizer passed in.");
            }
        }

        if (_milestones.Length != _schedulers.Length - 1)
        {
            throw new ArgumentException(
                "Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone points, " +
                $"but got number of schedulers {_schedulers.Length} and the number of milestones to be equal to {_milestones.Length}");
        }

        for (var i = 1; i < _milestones.Length; i++)
        {
            if (_milestones[i] <= _milestones[i - 1])
            {
                throw new ArgumentException($"milestones must be increasing, but got {string.Join(", ", _milestones)}", nameof(milestones));
            }
        }

        LastEpoch = lastEpoch + 1;

        // Back to the initial rates, and undo the first step each scheduler took when it was made.
        foreach (var group in optimizer.ParamGroups)
        {
            group.Lr = group.InitialLr!.Value;
        }

        foreach (var scheduler in _schedulers)
        {
            scheduler.LastEpoch--;
        }

        _schedulers[0].InitialStep();
        SetLastLr(_schedulers[0].GetLastLr());
    }

    public IReadOnlyList<LRScheduler> Schedulers => _schedulers;

    public IReadOnlyList<int> Milestones => _milestones;

    /// <summary>Steps the scheduler whose stretch this epoch is in; at a milestone the next one starts at its epoch 0.</summary>
    public override void Step()
    {
        LastEpoch++;
        var index = BisectRight(_milestones, LastEpoch);
        var scheduler = _schedulers[index];
        if (index > 0 && _milestones[index - 1] == LastEpoch)
        {
            scheduler.StepTo(0);
        }
        else
        {
            scheduler.Step();
        }

        SetLastLr(scheduler.GetLastLr());
    }

    /// <summary>
    /// "last_epoch", "_milestones.{k}", "_last_lr.{i}", and each scheduler's state under "_schedulers.{k}.".
    /// </summary>
    public override IReadOnlyDictionary<string, Tensor> StateDict()
    {
        var result = new OrderedDictionary<string, Tensor>
        {
            ["last_epoch"] = Tensor.Scalar((long)LastEpoch),
        };
        for (var k = 0; k < _milestones.Length; k++)
        {
            result[$"_milestones.{k}"] = Tensor.Scalar((long)_milestones[k]);
        }

        AddList(result, "_last_lr", GetLastLr());
        for (var k = 0; k < _schedulers.Length; k++)
        {
            foreach (var (key, value) in _schedulers[k].StateDict())
            {
                result[$"_schedulers.{k}.{key}"] = value;
            }
        }

        return result;
    }

    internal override Action PrepareLoad(IReadOnlyDictionary<string, Tensor> stateDict)
    {
        var reader = new ScalarStateReader(nameof(SequentialLR), stateDict);
        var lastEpoch = reader.Integer("last_epoch");
        var milestones = Enumerable.Range(0, _milestones.Length).Select(k => reader.Integer($"_milestones.{k}")).ToArray();
        var lastLr = reader.List("_last_lr", Optimizer.ParamGroups.Count);
        reader.Ignore("_schedulers.");
        reader.ThrowIfInvalid();

        // Every part is checked before any changes.
        var parts = new List<Action>();
        var scheduled = stateDict.Keys.Where(k => k.StartsWith("_schedulers.", StringComparison.Ordinal)).ToArray();
        for (var k = 0; k < _schedulers.Length; k++)
        {
            var prefix = $"_schedulers.{k}.";
            var sub = scheduled.Where(key => key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(key => key[prefix.Length..], key => stateDict[key]);
            parts.Add(_schedulers[k].PrepareLoad(sub));
        }

        var extra = scheduled.Where(key => !Enumerable.Range(0, _schedulers.Length).Any(k => key.StartsWith($"_schedulers.{k}.", StringComparison.Ordinal))).ToArray();
        if (extra.Length > 0)
        {
            throw new ArgumentException($"Error(s) in loading state_dict for {nameof(SequentialLR)}:\n\t{string.Join("\n\t", extra.Select(k => $"Unexpected key \"{k}\" in state_dict."))}");
        }

        return () =>
        {
            LastEpoch = (int)lastEpoch;
            _milestones = milestones.Select(m => (int)m).ToArray();
            SetLastLr(lastLr);
            parts.ForEach(apply => apply());
        };
    }

    /// <summary>Not used: <see cref="Step"/> delegates to the scheduler in charge.</summary>
    protected override IReadOnlyList<double> ComputeLr() => GroupLrs.ToArray();

    protected override IEnumerable<(string Name, Tensor Value)> Settings() => [];

    protected override void LoadSetting(string name, double value)
    {
    }

    /// <summary>The groups' initial rates, which the schedulers made before this one recorded.</summary>
    private static double[] InitialLrs(Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        var groups = optimizer.ParamGroups;
        for (var i = 0; i < groups.Count; i++)
        {
            if (groups[i].InitialLr == null)
            {
                throw new KeyNotFoundException($"param 'initial_lr' is not specified in param_groups[{i}]; make the schedulers for SequentialLR before it");
            }
        }

        return groups.Select(g => g.InitialLr!.Value).ToArray();
    }

    /// <summary>Python's bisect.bisect_right: how many milestones are at or before <paramref name="epoch"/>.</summary>
    private static int BisectRight(int[] sorted, int epoch)
    {
        var index = 0;
        while (index < sorted.Length && sorted[index] <= epoch)
        {
            index++;
        }

        return index;
    }
}
