using System.Diagnostics;
using System.Globalization;
using DistGrad.Distributed.Coordination;

namespace DistGrad.Distributed.Running;

/// <summary>
/// The live progress line: step, loss, samples/s and ETA, redrawn in place on a terminal and printed
/// every few seconds otherwise (logs, CI), then a summary when the job ends.
/// </summary>
public sealed class ProgressDisplay : IJobObserver
{
    private readonly TextWriter _out;
    private readonly bool _interactive;
    private readonly Stopwatch _clock = new();
    private TimeSpan? _lastPrinted;
    private int _totalSteps;
    private long _samples;

    public ProgressDisplay(TextWriter output, bool interactive)
    {
        _out = output;
        _interactive = interactive;
    }

    public void OnPhase(string phase)
    {
        if (_interactive)
        {
            _out.Write("\r\u001b[2K");
        }

        _out.WriteLine($"[distgrad] {phase}");
    }

    public void OnEvent(JobEvent jobEvent) => OnPhase(jobEvent.Message);

    public void OnStart(int totalSteps)
    {
        _totalSteps = totalSteps;
        _clock.Restart();
    }

    public void OnStep(StepRecord record)
    {
        _samples += record.Samples;
        var elapsed = _clock.Elapsed;
        var last = record.Step == _totalSteps;
        if (!last && _lastPrinted is { } printed && elapsed - printed < (_interactive ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromSeconds(5)))
        {
            return;
        }

        _lastPrinted = elapsed;
        var rate = elapsed.TotalSeconds > 0 ? _samples / elapsed.TotalSeconds : 0;
        var eta = record.Step > 0 ? TimeSpan.FromSeconds(elapsed.TotalSeconds / record.Step * (_totalSteps - record.Step)) : TimeSpan.Zero;
        var line = string.Create(
            CultureInfo.InvariantCulture,
            $"step {record.Step}/{_totalSteps}  loss {record.Loss:F4}  grad_norm {record.GradNorm:F3}  {rate:F0} samples/s  ETA {eta:mm\\:ss}");
        if (_interactive)
        {
            _out.Write("\r\u001b[2K" + line);
            if (last)
            {
                _out.WriteLine();
            }
        }
        else
        {
            _out.WriteLine(line);
        }
    }

    /// <summary>The closing lines: how the job went and where its files are.</summary>
    public void Summary(JobOutcome outcome, string runDirectory, double wallSeconds)
    {
        if (!outcome.Succeeded)
        {
            return;
        }

        var rate = outcome.TrainSeconds > 0 ? outcome.TrainSamples / outcome.TrainSeconds : 0;
        var accuracy = outcome.TestAccuracy is { } a ? a.ToString("F4", CultureInfo.InvariantCulture) : "n/a";
        _out.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"done: {outcome.Steps} steps, final loss {outcome.FinalLoss:F4}, test accuracy {accuracy}, {rate:F0} samples/s, {wallSeconds:F1} s wall, {outcome.Nodes} worker node(s)"));
        _out.WriteLine($"run directory: {runDirectory}");
    }
}
