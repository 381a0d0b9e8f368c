using System.Diagnostics;
using System.Globalization;
using DistGrad.Distributed.Coordination;
using Spectre.Console;

namespace DistGrad.Distributed.Running;

/// <summary>
/// The job's progress: on a terminal a live Spectre.Console bar (step, loss, samples/s, ETA); otherwise
/// (logs, CI) a plain line every few seconds; then a summary when the job ends.
/// </summary>
public sealed class ProgressDisplay : IJobObserver, IDisposable
{
    private readonly TextWriter _out;
    private readonly bool _interactive;
    private readonly Stopwatch _clock = new();
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TimeSpan? _lastPrinted;
    private int _totalSteps;
    private long _samples;
    private Task? _live;
    private volatile ProgressTask? _bar;

    public ProgressDisplay(TextWriter output, bool interactive)
    {
        _out = output;
        _interactive = interactive;
    }

    public void OnPhase(string phase)
    {
        if (_interactive)
        {
            AnsiConsole.MarkupLine($"[grey][[distgrad]][/] {Markup.Escape(phase)}");
            return;
        }

        _out.WriteLine($"[distgrad] {phase}");
    }

    public void OnEvent(JobEvent jobEvent) => OnPhase(jobEvent.Message);

    public void OnStart(int totalSteps, int stepsPerEpoch)
    {
        _totalSteps = totalSteps;
        _clock.Restart();
        if (_interactive && _live == null)
        {
            _live = AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .StartAsync(async context =>
                {
                    _bar = context.AddTask("training", maxValue: Math.Max(1, totalSteps));
                    await _ended.Task.ConfigureAwait(false);
                });
        }
    }

    /// <summary>Ends the live bar (the job is over, however it ended).</summary>
    public void Dispose()
    {
        _ended.TrySetResult();
        _live?.GetAwaiter().GetResult();
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
            if (_bar is { } bar)
            {
                // Short, so the bar, percentage and remaining time fit an 80-column terminal beside it.
                bar.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"step {record.Step}/{_totalSteps} loss {record.Loss:F4} {rate:F0}/s"));
                bar.Value = record.Step;
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
        Dispose();
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
