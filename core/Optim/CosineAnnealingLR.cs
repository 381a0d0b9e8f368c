namespace DistGrad.Optim;

/// <summary>
/// Anneals each group's learning rate from its initial value to <c>etaMin</c> along half a cosine over
/// <c>tMax</c> epochs, then back up (torch.optim.lr_scheduler.CosineAnnealingLR). As PyTorch 1.13's, each
/// step is computed recursively from the current rate, which equals the closed form
/// etaMin + (base − etaMin)(1 + cos(π·epoch/tMax))/2 up to rounding while nothing else changes the rate.
/// </summary>
public sealed class CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin = 0, int lastEpoch = -1)
    : LRScheduler(optimizer, lastEpoch)
{
    // Field initializers run before the base constructor takes the first step.
    private int _tMax = tMax > 0 ? tMax : throw new ArgumentOutOfRangeException(nameof(tMax), tMax, "T_max must be a positive number of epochs");
    private double _etaMin = etaMin;

    public int TMax => _tMax;

    public double EtaMin => _etaMin;

    protected override IReadOnlyList<double> ComputeLr()
    {
        var e = LastEpoch;
        if (e == 0)
        {
            return GroupLrs.ToArray();
        }

        // Each branch keeps PyTorch's order of operations, so the rounding is the same.
        if (StepCount == 1 && e > 0)
        {
            return BaseLrs.Select(b => _etaMin + ((b - _etaMin) * (1 + Math.Cos(e * Math.PI / _tMax)) / 2)).ToArray();
        }

        if ((e - 1 - _tMax) % (2 * _tMax) == 0)
        {
            return GroupLrs.Zip(BaseLrs, (lr, b) => lr + ((b - _etaMin) * (1 - Math.Cos(Math.PI / _tMax)) / 2)).ToArray();
        }

        return GroupLrs.Select(lr =>
            ((1 + Math.Cos(Math.PI * e / _tMax)) / (1 + Math.Cos(Math.PI * (e - 1) / _tMax)) * (lr - _etaMin)) + _etaMin).ToArray();
    }

    protected override IReadOnlyList<double> ClosedFormLr() =>
        BaseLrs.Select(b => _etaMin + ((b - _etaMin) * (1 + Math.Cos(Math.PI * LastEpoch / _tMax)) / 2)).ToArray();

    protected override IEnumerable<(string Name, Tensor Value)> Settings() =>
    [
        ("T_max", Tensor.Scalar((long)_tMax)),
        ("eta_min", Tensor.Scalar(_etaMin)),
    ];

    protected override void LoadSetting(string name, double value)
    {
        if (name == "T_max")
        {
            _tMax = (int)value;
        }
        else
        {
            _etaMin = value;
        }
    }
}
