using System.Globalization;
using System.Text.Json;
using DistGrad.Distributed.Coordination;

namespace DistGrad.Distributed.Running;

/// <summary>
/// The run directory of CLI.md: metrics.jsonl (a line per step, flushed as it goes), summary.json at the
/// end, and final.safetensors (written by rank 0 into this folder); pipeline jobs add timeline.json and
/// timeline.svg.
/// </summary>
public sealed class RunDirectory : IJobObserver, IDisposable
{
    private readonly JsonLinesFile _metrics;
    private readonly JsonLinesFile _events;
    private readonly List<JobEvent> _jobEvents = [];
    private readonly string _metricsPath;
    private long _lastStepWritten;
    private readonly PipelineTimelineRecorder _timeline = new();

    /// <param name="path">The directory (created when missing).</param>
    /// <param name="append">Continue the files of an earlier run in it (a resumed job) instead of starting them afresh.</param>
    public RunDirectory(string path, bool append = false)
    {
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(Path);
        _metricsPath = System.IO.Path.Combine(Path, "metrics.jsonl");
        // Appending, the last step already written is read when the first step arrives: a standby opens the
        // directory long before it takes over, while its first coordinator is still writing.
        _lastStepWritten = append ? -1 : 0;
        _metrics = new JsonLinesFile(_metricsPath, append);
        _events = new JsonLinesFile(System.IO.Path.Combine(Path, "events.jsonl"), append);
    }

    public string Path { get; }

    public string FinalParameters => System.IO.Path.Combine(Path, "final.safetensors");

    /// <summary>runs/&lt;UTC time&gt; under the current directory.</summary>
    public static string DefaultPath(DateTime utcNow) =>
        System.IO.Path.Combine("runs", utcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));

    public void OnPhase(string phase)
    {
    }

    public void OnStart(int totalSteps, int stepsPerEpoch)
    {
    }

    /// <summary>The pipeline timelines seen so far.</summary>
    public PipelineTimelineRecorder Timeline => _timeline;

    public void OnStep(StepRecord record)
    {
        // After a recovery the steps since the checkpoint run again, with the same results (every batch
        // comes from the seed and the step): metrics.jsonl keeps one line per step.
        if (_lastStepWritten < 0)
        {
            _lastStepWritten = LastStep(_metricsPath);
        }

        if (record.Step <= _lastStepWritten)
        {
            return;
        }

        _lastStepWritten = record.Step;
        _timeline.Record(record);
        WriteMetrics(record);
    }

    /// <summary>Checkpoints, recoveries and resumes go to events.jsonl, one object per line, and into summary.json.</summary>
    public void OnEvent(JobEvent jobEvent)
    {
        _jobEvents.Add(jobEvent);
        _events.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["time"] = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            ["event"] = jobEvent.Kind,
            ["step"] = jobEvent.Step,
            ["message"] = jobEvent.Message,
            ["seconds"] = jobEvent.Seconds is { } seconds ? Math.Round(seconds, 3) : null,
        }));
    }

    private void WriteMetrics(StepRecord record) => _metrics.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["step"] = record.Step,
        ["loss"] = record.Loss,
        ["grad_norm"] = record.GradNorm,
        ["lr"] = record.LearningRate,
        ["samples"] = record.Samples,
        ["duration_ms"] = Math.Round(record.DurationMilliseconds, 3),
    }));

    /// <summary>Writes summary.json for a job that ended: its figures, or (status "failed") the reason it failed.</summary>
    public void WriteSummary(JobOutcome outcome, JobSpec spec, double wallSeconds)
    {
        var summary = new Dictionary<string, object?>
        {
            ["status"] = outcome.Succeeded ? "succeeded" : "failed",
            ["error"] = outcome.Error,
            ["test_accuracy"] = outcome.TestAccuracy,
            ["final_loss"] = outcome.FinalLoss,
            ["steps"] = outcome.Steps,
            ["samples_per_second"] = outcome.TrainSeconds > 0 ? Math.Round(outcome.TrainSamples / outcome.TrainSeconds, 1) : null,
            ["wall_seconds"] = Math.Round(wallSeconds, 3),
            ["layout"] = new Dictionary<string, int>
            {
                ["data_parallel"] = spec.DataParallel,
                ["pipeline_stages"] = spec.PipelineStages,
                ["micro_batches"] = spec.MicroBatches,
            },
            ["nodes"] = outcome.Nodes,
        };
        var recoveries = _jobEvents.Where(e => e.Kind == "recovery").ToArray();
        summary["recoveries"] = recoveries.Length;
        if (recoveries.Length > 0)
        {
            summary["recovery_seconds"] = recoveries.Select(e => Math.Round(e.Seconds ?? double.NaN, 3)).ToArray();
        }

        if (_jobEvents.LastOrDefault(e => e.Kind == "checkpoint") is { } lastCheckpoint)
        {
            summary["last_checkpoint_step"] = lastCheckpoint.Step;
        }

        if (_jobEvents.FirstOrDefault(e => e.Kind == "resumed") is { } resumed)
        {
            summary["resumed_from_step"] = resumed.Step;
        }

        if (_timeline.HasSteps)
        {
            summary["pipeline"] = new Dictionary<string, object>
            {
                ["schedule"] = spec.Schedule,
                ["partition"] = spec.Partition,
                ["bubble_fraction_measured"] = Math.Round(_timeline.MedianBubble(), 4),
                ["bubble_fraction_theoretical"] = Math.Round(Pipeline.BubbleFraction.Theoretical(spec.PipelineStages, spec.MicroBatches), 4),
                ["peak_activation_bytes_by_stage"] = _timeline.PeakActivationBytesByStage,
            };
            _timeline.Write(Path, spec);
        }

        File.WriteAllText(
            System.IO.Path.Combine(Path, "summary.json"),
            JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    /// <summary>The step of the last line of an existing metrics.jsonl (0 when there is none).</summary>
    private static long LastStep(string metrics)
    {
        if (!File.Exists(metrics))
        {
            return 0;
        }

        using var stream = new FileStream(metrics, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var last = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        try
        {
            return last == null ? 0 : JsonDocument.Parse(last).RootElement.GetProperty("step").GetInt64();
        }
        catch (JsonException)
        {
            // A line cut short by a crash: the steps after the checkpoint are written again.
            return 0;
        }
    }

    public void Dispose()
    {
        _metrics.Dispose();
        _events.Dispose();
    }
}
