namespace DistGrad.Optim;

/// <summary>
/// Dynamic loss scaling (torch.cuda.amp.GradScaler of PyTorch 1.13, on any device): the loss is multiplied
/// by a scale before backward so that small gradients survive low precision; gradients are divided by it
/// again before the optimizer uses them. A step whose gradients hold inf or NaN is skipped and the scale
/// backs off; after <c>growthInterval</c> good steps in a row it grows. The recipe:
/// <code>
/// scaler.Scale(loss).Backward();
/// scaler.Unscale(optimizer);                // optional: to clip or inspect the true gradients
/// ClipGrad.Norm(parameters, maxNorm: 1.0);
/// scaler.Step(optimizer);                   // skipped when a gradient was inf or NaN
/// scaler.Update();
/// </code>
/// The scale is a float32 value, as PyTorch keeps it, so growth and backoff round as PyTorch's do.
/// </summary>
public sealed class GradScaler
{
    private readonly Dictionary<Optimizer, OptimizerState> _perOptimizer = new(ReferenceEqualityComparer.Instance);
    private double _initScale;
    private int _initGrowthTracker;

    // Null until the first Scale, as PyTorch creates its scale tensor lazily on the loss's device.
    private float? _scale;
    private int? _growthTracker;

    public GradScaler(double initScale = 65536, double growthFactor = 2, double backoffFactor = 0.5, int growthInterval = 2000, bool enabled = true)
    {
        IsEnabled = enabled;
        if (enabled)
        {
            if (!(growthFactor > 1.0))
            {
                throw new ArgumentOutOfRangeException(nameof(growthFactor), growthFactor, "The growth factor must be > 1.0.");
            }

            if (!(backoffFactor < 1.0))
            {
                throw new ArgumentOutOfRangeException(nameof(backoffFactor), backoffFactor, "The backoff factor must be < 1.0.");
            }
        }

        _initScale = initScale;
        GrowthFactor = growthFactor;
        BackoffFactor = backoffFactor;
        GrowthInterval = growthInterval;
    }

    private enum Stage
    {
        Ready,
        Unscaled,
        Stepped,
    }

    /// <summary>False makes every method a no-op, except <see cref="Step"/>, which just steps the optimizer.</summary>
    public bool IsEnabled { get; }

    public double GrowthFactor { get; set; }

    public double BackoffFactor { get; set; }

    public int GrowthInterval { get; set; }

    /// <summary>The current scale (the initial one before the first <see cref="Scale"/>); 1 when disabled.</summary>
    public double GetScale() => !IsEnabled ? 1.0 : _scale ?? _initScale;

    /// <summary>Good steps in a row since the scale last changed; 0 when disabled.</summary>
    public int GetGrowthTracker() => !IsEnabled ? 0 : _growthTracker ?? _initGrowthTracker;

    /// <summary>The loss multiplied by the scale (the loss itself when disabled); call Backward on the result.</summary>
    public Tensor Scale(Tensor loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        if (!IsEnabled)
        {
            return loss;
        }

        if (_scale == null)
        {
            _scale = (float)_initScale;
            _growthTracker = _initGrowthTracker;
        }

        // A float32 scale times the loss in the loss's dtype: powers of two scale exactly.
        return loss * (double)_scale.Value;
    }

    /// <summary>
    /// Divides the optimizer's gradients by the scale, in place, and records whether any was inf or NaN.
    /// At most once per optimizer between <see cref="Update"/>s; <see cref="Step"/> calls it when it was not.
    /// </summary>
    public void Unscale(Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        if (!IsEnabled)
        {
            return;
        }

        var scale = CheckScaleInitialized("unscale_");
        var state = StateOf(optimizer);
        if (state.Stage == Stage.Unscaled)
        {
            throw new InvalidOperationException("unscale_() has already been called on this optimizer since the last update().");
        }

        if (state.Stage == Stage.Stepped)
        {
            throw new InvalidOperationException("unscale_() is being called after step().");
        }

        // As PyTorch: the reciprocal in double, rounded to float32, multiplies every gradient (inf ones too).
        var invScale = (double)(float)(1.0 / scale);
        var foundInf = false;
        using (Autograd.NoGrad())
        {
            foreach (var p in optimizer.AllParams)
            {
                if (p.Grad is not { } grad)
                {
                    continue;
                }

                foundInf |= grad.IsFinite().All().Item() == 0;
                grad.MulInPlace(invScale);
            }
        }

        state.FoundInf = foundInf;
        state.Stage = Stage.Unscaled;
    }

    /// <summary>
    /// Unscales the gradients if <see cref="Unscale"/> was not called, then steps the optimizer unless a
    /// gradient was inf or NaN (the parameters stay as they were).
    /// </summary>
    public void Step(Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        if (!IsEnabled)
        {
            optimizer.Step();
            return;
        }

        CheckScaleInitialized("step");
        var state = StateOf(optimizer);
        if (state.Stage == Stage.Stepped)
        {
            throw new InvalidOperationException("step() has already been called since the last update().");
        }

        if (state.Stage == Stage.Ready)
        {
            Unscale(optimizer);
        }

        if (!state.FoundInf)
        {
            optimizer.Step();
        }

        state.Stage = Stage.Stepped;
    }

    /// <summary>
    /// Ends the iteration: backs the scale off by <see cref="BackoffFactor"/> when any optimizer saw inf or
    /// NaN, else grows it by <see cref="GrowthFactor"/> after <see cref="GrowthInterval"/> good steps in a row
    /// (not past float32's range). <paramref name="newScale"/> sets the scale instead.
    /// </summary>
    public void Update(double? newScale = null)
    {
        if (!IsEnabled)
        {
            return;
        }

        var scale = CheckScaleInitialized("update");
        if (newScale is { } set)
        {
            _scale = (float)set;
        }
        else
        {
            if (!_perOptimizer.Values.Any(s => s.Stage != Stage.Ready))
            {
                throw new InvalidOperationException("No inf checks were recorded prior to update.");
            }

            var foundInf = _perOptimizer.Values.Any(s => s.FoundInf);
            (_scale, _growthTracker) = UpdatedScale(scale, _growthTracker!.Value, foundInf);
        }

        _perOptimizer.Clear();
    }

    /// <summary>"scale", "growth_factor", "backoff_factor" (Float64), "growth_interval", "_growth_tracker" (Int64); empty when disabled.</summary>
    public IReadOnlyDictionary<string, Tensor> StateDict()
    {
        var result = new OrderedDictionary<string, Tensor>();
        if (IsEnabled)
        {
            result["scale"] = Tensor.Scalar(GetScale());
            result["growth_factor"] = Tensor.Scalar(GrowthFactor);
            result["backoff_factor"] = Tensor.Scalar(BackoffFactor);
            result["growth_interval"] = Tensor.Scalar((long)GrowthInterval);
            result["_growth_tracker"] = Tensor.Scalar((long)GetGrowthTracker());
        }

        return result;
    }

    /// <summary>Restores <see cref="StateDict"/>; a no-op when disabled. Call it between iterations (after <see cref="Update"/>).</summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> stateDict)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        if (!IsEnabled)
        {
            return;
        }

        if (stateDict.Count == 0)
        {
            throw new InvalidOperationException("The source state dict is empty, possibly because it was saved from a disabled instance of GradScaler.");
        }

        var reader = new ScalarStateReader(nameof(GradScaler), stateDict);
        var scale = reader.Number("scale");
        var growthFactor = reader.Number("growth_factor");
        var backoffFactor = reader.Number("backoff_factor");
        var growthInterval = reader.Integer("growth_interval");
        var growthTracker = reader.Integer("_growth_tracker");
        reader.ThrowIfInvalid();

        _initScale = scale;
        if (_scale != null)
        {
            _scale = (float)scale;
        }

        GrowthFactor = growthFactor;
        BackoffFactor = backoffFactor;
        GrowthInterval = (int)growthInterval;
        _initGrowthTracker = (int)growthTracker;
        if (_growthTracker != null)
        {
            _growthTracker = (int)growthTracker;
        }
    }

    /// <summary>PyTorch's _amp_update_scale_: float32 scale times a double factor, rounded back to float32.</summary>
    private (float Scale, int Tracker) UpdatedScale(float scale, int tracker, bool foundInf)
    {
        if (foundInf)
        {
            return ((float)(scale * BackoffFactor), 0);
        }

        var successful = tracker + 1;
        if (successful != GrowthInterval)
        {
            return (scale, successful);
        }

        var grown = (float)(scale * GrowthFactor);
        return (float.IsFinite(grown) ? grown : scale, 0);
    }

    private float CheckScaleInitialized(string method) =>
        _scale ?? throw new InvalidOperationException(
            $"Attempted {method} but _scale is None.  This may indicate your script did not use scaler.scale(loss or outputs) earlier in the iteration.");

    private OptimizerState StateOf(Optimizer optimizer)
    {
        if (!_perOptimizer.TryGetValue(optimizer, out var state))
        {
            state = new OptimizerState();
            _perOptimizer[optimizer] = state;
        }

        return state;
    }

    private sealed class OptimizerState
    {
        public Stage Stage { get; set; } = Stage.Ready;

        public bool FoundInf { get; set; }
    }
}
