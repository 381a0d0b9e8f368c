using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using DistGrad.Distributed.Checkpoints;
using DistGrad.Distributed.Config;
using DistGrad.Distributed.Messages;
using DistGrad.Distributed.Telemetry;
using DistGrad.Distributed.Workers;

namespace DistGrad.Distributed.Coordination;

/// <summary>
/// Checkpoints and recovery. Every N steps the workers write their shards and the coordinator commits the
/// step's manifest. When a worker is lost (it failed, stopped, its node became unreachable or left, or it
/// missed a deadline) the coordinator stops every worker of the attempt, asks the live nodes for slots,
/// starts a fresh set of workers (a new attempt, so stale messages of the old one are ignored), has them
/// load the last whole checkpoint and continues from its step. Because every step's batches come from the
/// seed and the step number, the replayed steps are exactly those the lost ones would have been.
/// </summary>
public sealed partial class CoordinatorActor
{
    private readonly CheckpointStore? _store;

    /// <summary>This coordinator's claim on the checkpoint root (<see cref="CoordinatorEpoch"/>; 0 without checkpoints).</summary>
    private long _epoch;
    private int _attempt;
    private int _restarts;
    private string? _restoreDirectory;
    private long? _restoreStep;
    private Stopwatch? _recoveryClock;
    private string? _recoveryReason;

    /// <summary>The id workers of the current attempt run under: the job id, with the attempt number after a recovery.</summary>
    private string AttemptId => _attempt == 0 ? _jobId : string.Create(CultureInfo.InvariantCulture, $"{_jobId}-r{_attempt}");

    private bool _checkpointRequested;

    // A stop after a checkpoint (StopAfterCheckpoint): why, and the step whose checkpoint ends the job.
    private string? _stopReason;
    private long _stopAfterStep = -1;

    /// <summary>
    /// Whether workers write a checkpoint after <paramref name="step"/> (0-based): every N-th step, and the next
    /// step sent after a request (SIGHUP). Called once per step, as its RunStep is sent.
    /// </summary>
    private bool CheckpointAfter(long step)
    {
        if (_store == null)
        {
            return false;
        }

        var requested = _checkpointRequested;
        _checkpointRequested = false;
        if (requested && _stopReason != null)
        {
            _stopAfterStep = step;
        }

        return requested || (_spec.CheckpointEvery is { } every && (step + 1) % every == 0);
    }

    /// <summary>A checkpoint on demand: after the next step the coordinator sends (the one after that when two are queued).</summary>
    private void RequestCheckpoint()
    {
        if (_store == null)
        {
            _log.Warning("a checkpoint was requested, but the job has no checkpoint directory");
            return;
        }

        _checkpointRequested = true;
        _observer.OnPhase("checkpoint requested: written after the next step sent");
    }

    private void QueryCapacity(Address node) =>
        Context.ActorSelection(new RootActorPath(node) / "user" / WorkerHostActor.Name).Tell(new QueryCapacity(AttemptId));

    /// <summary>A worker of the current attempt is lost: recover from the last checkpoint when the job can, else fail.</summary>
    private void Lost(string reason)
    {
        // Recovery is what --checkpoint-every asks for; checkpoints on demand alone do not make a job recover.
        if (_store == null || _spec.CheckpointEvery == null)
        {
            Fail(reason);
            return;
        }

        if (_restarts >= _spec.MaxRestarts)
        {
            Fail($"{reason} (gave up after {_restarts} recover{(_restarts == 1 ? "y" : "ies")}, --max-restarts {_spec.MaxRestarts})");
            return;
        }

        Recover(reason);
    }

    private void Recover(string reason)
    {
        _restarts++;
        _recoveryClock = Stopwatch.StartNew();
        _recoveryReason = reason;
        Timers.Cancel(DeadlineTimer);
        _stepActivity?.Dispose();
        _stepActivity = null;

        // The old attempt's workers stop; their late answers carry the old attempt's id and are ignored.
        Tell(new StopJob(AttemptId));
        foreach (var worker in _workers)
        {
            if (worker != null)
            {
                Context.Unwatch(worker);
            }
        }

        var checkpoint = _store!.LatestValid(skipped => _log.Warning("recovery: {0}", skipped));
        // The newest whole checkpoint of this run; before its first one, the checkpoint it was resumed from, or the start.
        if (checkpoint != null)
        {
            (_restoreDirectory, _restoreStep) = (_store.Root, checkpoint.Step);
        }
        else if (_settings.ResumeFrom is { } resume)
        {
            (_restoreDirectory, _restoreStep) = (resume.Directory, resume.Step);
        }
        else
        {
            (_restoreDirectory, _restoreStep) = (null, null);
        }

        _step = _restoreStep ?? 0;
        _log.Warning(
            "job {0}: recovery {1} of at most {2}: {3}; restarting every worker from {4}",
            _jobId, _restarts, _spec.MaxRestarts, reason, _restoreStep is { } s ? $"the checkpoint of step {s}" : "the start (no checkpoint yet)");
        _observer.OnPhase($"recovering ({_restarts}/{_spec.MaxRestarts}) from step {_step}: {reason}");

        _attempt++;
        Array.Clear(_workers);
        Array.Clear(_workerNodes);
        _stepAnswers.Clear();
        _pending.Clear();

        // Ask every live worker node again: a node that died without being noticed yet cannot answer, so
        // only nodes that really have slots take part in the new attempt.
        _hosts.Clear();
        _awaited = "worker slots for the recovery";
        Become(WaitingForSlots);
        foreach (var member in _cluster.State.Members.Where(m => m.Status == MemberStatus.Up && m.HasRole(ClusterConfig.WorkerRole) && !_cluster.State.Unreachable.Contains(m)))
        {
            QueryCapacity(member.Address);
        }

        Timers.StartSingleTimer(DeadlineTimer, new Deadline(_awaited), _settings.WorkerWaitTimeout);
    }

    /// <summary>
    /// A newer coordinator owns the run directory: stop this attempt's workers and end here without a word to the
    /// job's other coordinator processes (the newest of them runs the job now) and without writing the run directory.
    /// </summary>
    private void StandDown(string reason)
    {
        _ended = true;
        _log.Warning("job {0}: {1}", _jobId, reason);
        Tell(new StopJob(AttemptId));
        _completion.TrySetResult(JobOutcome.Failed(reason, (int)_step, _hosts.Count) with { Recoveries = _restarts, RanElsewhere = true });
        Context.Stop(Self);
    }

    /// <summary>Asks the coordinator for a checkpoint after its next step (coordinator train handles SIGHUP with it).</summary>
    public sealed class CheckpointNow
    {
        public static readonly CheckpointNow Instance = new();
    }

    /// <summary>Training runs again after a recovery: report how long it took and from which step it goes on.</summary>
    private void Resumed()
    {
        if (_recoveryClock is { } clock)
        {
            var seconds = clock.Elapsed.TotalSeconds;
            DistGradTelemetry.Recoveries.Add(1);
            _observer.OnEvent(new JobEvent(
                "recovery", _step,
                string.Create(CultureInfo.InvariantCulture, $"recovered in {seconds:0.0} s from step {_step} after: {_recoveryReason}"), seconds));
            _recoveryClock = null;
        }
        else if (_restoreStep is { } step)
        {
            _observer.OnEvent(new JobEvent("resumed", step, $"resumed from the checkpoint of step {step} in {_restoreDirectory}"));
        }
    }

    /// <summary>Every worker wrote its shard of the checkpoint after <paramref name="step"/> steps: the manifest makes it whole.</summary>
    /// <summary>Commits the checkpoint of <paramref name="step"/> from the workers' shards; false when it could not (the job has failed).</summary>
    private bool CommitCheckpoint(long step, IReadOnlyList<StepDone> answers)
    {
        var shards = answers.Select(a => a.Checkpoint).ToArray();
        if (shards.Any(s => s == null))
        {
            Fail($"the checkpoint of step {step} is missing the shard of rank {Array.FindIndex(shards, s => s == null)}");
            return false;
        }

        var clock = Stopwatch.StartNew();
        var metadata = new Dictionary<string, string>(CheckpointIdentity.Of(_spec))
        {
            ["job_id"] = _jobId,
            [CoordinatorEpoch.MetadataKey] = _epoch.ToString(CultureInfo.InvariantCulture),
        };
        try
        {
            // A coordinator that was cut off while its standby took over must not write over the standby's checkpoints.
            CoordinatorEpoch.ThrowIfFenced(_store!.Root, _epoch);
            _store.Commit(step, _spec.WorldSize, shards!, metadata);
        }
        catch (CoordinatorFencedException e)
        {
            StandDown(e.Message);
            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            Fail($"could not commit the checkpoint of step {step} in {_store!.Root}: {e.Message}");
            return false;
        }

        DistGradTelemetry.Checkpoints.Add(1);
        _observer.OnEvent(new JobEvent(
            "checkpoint", step, string.Create(CultureInfo.InvariantCulture, $"checkpoint of step {step} committed ({shards.Sum(s => s!.Bytes) / 1e6:0.0} MB in {_spec.WorldSize} shard(s))"),
            clock.Elapsed.TotalSeconds)
        {
            Directory = _store.StepDirectory(step),
        });
        return true;
    }
}
