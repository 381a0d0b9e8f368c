namespace DistGrad.Optim;

/// <summary>Multiplies each group's learning rate by <c>gamma</c> every <c>stepSize</c> epochs (torch.optim.lr_scheduler.StepLR).</summary>
public sealed class StepLR(Optimizer optimizer, int stepSize, double gamma = 0.1, int lastEpoch = -1)
    : LRScheduler(optimizer, lastEpoch)
{
    // Field initializers run before the base constructor takes the first step.
    private int _stepSize = stepSize > 0 ? stepSize : throw new ArgumentOutOfRangeException(nameof(stepSize), stepSize, "step_size must be a positive number of epochs");
    private double _gamma = gamma;

    public int StepSize => _stepSize;

    public double Gamma => _gamma;

    protected override IReadOnlyList<double> ComputeLr() =>
        LastEpoch == 0 || LastEpoch % _stepSize != 0
            ? GroupLrs.ToArray()
            : GroupLrs.Select(lr => lr * _gamma).ToArray();

    protected override IReadOnlyList<double> ClosedFormLr() =>
        BaseLrs.Select(b => b * Math.Pow(_gamma, Math.Floor((double)LastEpoch / _stepSize))).ToArray();

    protected override IEnumerable<(string Name, Tensor Value)> Settings() =>
    [
        ("step_size", Tensor.Scalar((long)_stepSize)),
        ("gamma", Tensor.Scalar(_gamma)),
    ];

    protected override void LoadSetting(string name, double value)
    {
        if (name == "step_size")
        {
            _stepSize = (int)value;
        }
        else
        {
            _gamma = value;
        }
    }
}
