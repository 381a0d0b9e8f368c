namespace DistGrad.Optim;

/// <summary>
/// Scales each group's learning rate by a factor that moves linearly from <c>startFactor</c> to
/// <c>endFactor</c> over <c>totalIters</c> epochs, then stays (torch.optim.lr_scheduler.LinearLR): the usual
/// linear warm-up, alone or as the first schedule of a <see cref="SequentialLR"/>.
/// </summary>
public sealed class LinearLR(Optimizer optimizer, double startFactor = 1.0 / 3, double endFactor = 1.0, int totalIters = 5, int lastEpoch = -1)
    : LRScheduler(optimizer, lastEpoch)
{
    // Field initializers run before the base constructor takes the first step. PyTorch 1.13 accepts a start
    // factor of 0 and then divides by zero at epoch 1; later versions reject it, as here.
    private double _startFactor = startFactor > 0 && startFactor <= 1
        ? startFactor
        : throw new ArgumentOutOfRangeException(nameof(startFactor), startFactor, "Starting multiplicative factor expected to be greater than 0 and less or equal to 1.");

    private double _endFactor = endFactor >= 0 && endFactor <= 1
        ? endFactor
        : throw new ArgumentOutOfRangeException(nameof(endFactor), endFactor, "Ending multiplicative factor expected to be between 0 and 1.");

    private int _totalIters = totalIters > 0 ? totalIters : throw new ArgumentOutOfRangeException(nameof(totalIters), totalIters, "total_iters must be a positive number of epochs");

    public double StartFactor => _startFactor;

    public double EndFactor => _endFactor;

    public int TotalIters => _totalIters;

    protected override IReadOnlyList<double> ComputeLr()
    {
        if (LastEpoch == 0)
        {
            return GroupLrs.Select(lr => lr * _startFactor).ToArray();
        }

        if (LastEpoch > _totalIters)
        {
            return GroupLrs.ToArray();
        }

        // The ratio of this epoch's factor to the last one's, in PyTorch's order of operations.
        var ratio = 1.0 + ((_endFactor - _startFactor) / ((_totalIters * _startFactor) + ((LastEpoch - 1) * (_endFactor - _startFactor))));
        return GroupLrs.Select(lr => lr * ratio).ToArray();
    }

    protected override IReadOnlyList<double> ClosedFormLr() =>
        BaseLrs.Select(b => b * (_startFactor + ((_endFactor - _startFactor) * Math.Min(_totalIters, LastEpoch) / _totalIters))).ToArray();

    protected override IEnumerable<(string Name, Tensor Value)> Settings() =>
    [
        ("start_factor", Tensor.Scalar(_startFactor)),
        ("end_factor", Tensor.Scalar(_endFactor)),
        ("total_iters", Tensor.Scalar((long)_totalIters)),
    ];

    protected override void LoadSetting(string name, double value)
    {
        switch (name)
        {
            case "start_factor": _startFactor = value; break;
            case "end_factor": _endFactor = value; break;
            default: _totalIters = (int)value; break;
        }
    }
}
