namespace DistGrad.Distributed.Pipeline;

/// <summary>Round tick values for a time axis: a step of 1, 2 or 5 times a power of ten, giving about eight ticks.</summary>
internal static class TimeAxisTicks
{
    private const int TargetTicks = 8;

    /// <summary>Tick positions from 0 up to <paramref name="span"/> inclusive, in the span's unit.</summary>
    public static IReadOnlyList<double> For(double span)
    {
        if (span <= 0 || !double.IsFinite(span))
        {
            return [0];
        }

        var step = Step(span);
        var count = (int)Math.Floor((span / step) + 1e-9);
        return Enumerable.Range(0, count + 1).Select(i => i * step).ToList();
    }

    private static double Step(double span)
    {
        var raw = span / TargetTicks;
        var power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        foreach (var multiple in (ReadOnlySpan<double>)[1, 2, 5])
        {
            if (multiple * power >= raw)
            {
                return multiple * power;
            }
        }

        return 10 * power;
    }
}
