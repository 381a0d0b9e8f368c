using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.Event;
using DistGrad.Distributed.Checkpoints;
using DistGrad.Distributed.Config;
using DistGrad.Distributed.Messages;
using DistGrad.Distributed.Pipeline;
using DistGrad.Distributed.Placement;
using DistGrad.Distributed.Telemetry;
using DistGrad.Distributed.Workers;

namespace DistGrad.Distributed.Coordination;

/// <summary>
/// Runs one job on the cluster: waits for enough worker slots, starts a worker per rank, has them connect
/// their data plane, then drives the steps one by one, gathering losses and metrics, and finishes the
/// job. Every wait has a deadline: when it passes, or a worker fails, stops or becomes unreachable, the job
/// fails with a message naming the worker and what the coordinator was waiting for. Never a hang. A job
/// with checkpoints instead rolls every worker back to its last whole checkpoint and goes on
/// (CoordinatorActor.Recovery.cs), up to --max-restarts times.
/// </summary>
public sealed partial class CoordinatorActor : ReceiveActor, IWithTimers
{
    private const string DeadlineTimer = "deadline";

    private readonly string _jobId;
    private readonly JobSpec _spec;
    private readonly CoordinatorSettings _settings;
    private readonly IJobObserver _observer;
    private readonly TaskCompletionSource<JobOutcome> _completion;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Cluster _cluster = Cluster.Get(Context.System);
    private readonly Dictionary<Address, (IActorRef Host, int Slots)> _hosts = [];
    private readonly IActorRef?[] _workers;
    private readonly Address?[] _workerNodes;
    private readonly HashSet<int> _pending = [];
    /// <summary>Steps the workers may have queued at once: the next one is sent while this one runs.</summary>
    private const int StepWindow = 2;

    private readonly Dictionary<(long Step, int Rank), StepDone> _stepAnswers = [];
    private readonly PipelineSchedule _schedule;
    private string _awaited = "worker slots";
    private int _totalSteps;
    private long _step;
    private double? _testAccuracy;
    private double _lastLoss = double.NaN;
    private long _trainSamples;
    private System.Diagnostics.Stopwatch _stepClock = new();
    private System.Diagnostics.Stopwatch _trainClock = new();
    private System.Diagnostics.Activity? _stepActivity;
    /// <summary>Set once the job has failed: whatever was under way when it did must not send more work.</summary>
    private bool _ended;

    public CoordinatorActor(string jobId, JobSpec spec, CoordinatorSettings settings, IJobObserver observer, TaskCompletionSource<JobOutcome> completion)
    {
        _jobId = jobId;
        _spec = spec;
        _settings = settings;
        _observer = observer;
        _completion = completion;
        _workers = new IActorRef?[spec.WorldSize];
        // The coordinator sequences the pipeline: it generates the schedule's action lists, and a list that
        // could deadlock or leaves work out never reaches a worker.
        _schedule = PipelineSchedules.For(spec.Schedule, spec.PipelineStages, spec.MicroBatches);
        ScheduleValidator.ThrowIfInvalid(_schedule);
        _workerNodes = new Address?[spec.WorldSize];
        _store = spec.CheckpointDirectory is { } checkpoints ? new CheckpointStore(checkpoints, spec.CheckpointKeep) : null;
        if (settings.ResumeFrom is { } resume)
        {
            (_restoreDirectory, _restoreStep, _step) = (resume.Directory, resume.Step, resume.Step);
        }
        else if (settings.TakeOverCheckpoints is { } takeOver && new CheckpointStore(takeOver).LatestValid(skipped => _log.Warning("take-over: {0}", skipped)) is { } latest)
        {
            // A standby coordinator starting means the job's first coordinator is gone: go on from its last checkpoint.
            (_restoreDirectory, _restoreStep, _step) = (takeOver, latest.Step, latest.Step);
        }

        WaitingForSlots();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string jobId, JobSpec spec, CoordinatorSettings settings, IJobObserver observer, TaskCompletionSource<JobOutcome> completion) =>
        Akka.Actor.Props.Create(() => new CoordinatorActor(jobId, spec, settings, observer, completion));

    protected override void PreStart()
    {
        if (_store != null)
        {
            try
            {
                _epoch = CoordinatorEpoch.Claim(_store.Root);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Fail($"could not claim the checkpoint directory {_store.Root} for this coordinator: {e.Message}");
                return;
            }
        }

        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.MemberUp), typeof(ClusterEvent.UnreachableMember), typeof(ClusterEvent.MemberRemoved));
        _observer.OnPhase($"waiting for {_spec.WorldSize} worker slot(s)");
        Timers.StartSingleTimer(DeadlineTimer, new Deadline(_awaited), _settings.WorkerWaitTimeout);
    }

    /// <summary>A bug in the coordinator fails the job with its message instead of restarting into a half-run job.</summary>
    protected override void PreRestart(Exception reason, object message)
    {
        Fail($"the coordinator failed while handling {message.GetType().Name}: {reason.GetType().Name}: {reason.Message}");
        base.PreRestart(reason, message);
    }

    protected override void PostStop()
    {
        _cluster.Unsubscribe(Self);
        _stepActivity?.Dispose();
        // Stopped because its node was downed (cut off from the majority): when a newer coordinator has claimed the run
        // directory meanwhile, the job goes on there, and the run directory is that coordinator's to write.
        var newer = _store is { } store && _epoch > 0 ? NewestEpoch(store.Root) : 0;
        _completion.TrySetResult(newer > _epoch
            ? JobOutcome.Failed($"the coordinator stopped before the job ended; a newer coordinator (epoch {newer}) runs it", (int)_step, _hosts.Count) with { RanElsewhere = true }
            : JobOutcome.Failed("the coordinator stopped before the job ended", (int)_step, _hosts.Count));
    }

    /// <summary>The newest claim on the checkpoint root, or 0 where it cannot be read (storage gone with the partition).</summary>
    private static long NewestEpoch(string root)
    {
        try
        {
            return CoordinatorEpoch.Newest(root);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    private void WaitingForSlots()
    {
        Receive<ClusterEvent.MemberUp>(up =>
        {
            if (up.Member.HasRole(ClusterConfig.WorkerRole))
            {
                QueryCapacity(up.Member.Address);
            }
        });
        Receive<HostCapacity>(capacity =>
        {
            if (capacity.JobId != AttemptId || capacity.Slots <= 0)
            {
                return;
            }

            _hosts[Sender.Path.Address] = (Sender, capacity.Slots);
            if (_hosts.Values.Sum(h => h.Slots) >= _spec.WorldSize)
            {
                AskForRegions();
            }
        });
        // Sharding places workers only on nodes whose shard region it knows: start once it knows every counted one.
        Receive<CurrentRegions>(regions =>
        {
            if (_hosts.Values.Sum(h => h.Slots) < _spec.WorldSize)
            {
                return;
            }

            if (_hosts.Keys.All(regions.Regions.Contains))
            {
                StartWorkers();
            }
            else
            {
                Timers.StartSingleTimer("regions", AskRegions.Instance, TimeSpan.FromMilliseconds(200));
            }
        });
        Receive<AskRegions>(_ => AskForRegions());
        // A node that leaves or fails before the workers start takes its slots with it.
        Receive<ClusterEvent.MemberRemoved>(removed => _hosts.Remove(removed.Member.Address));
        Receive<ClusterEvent.UnreachableMember>(unreachable => _hosts.Remove(unreachable.Member.Address));
        // The coordinator starts once its node is Up (it is a cluster singleton), so only slots can be missing.
        Receive<Deadline>(_ => Fail(
            $"waited {Seconds(_settings.WorkerWaitTimeout)} for {_spec.WorldSize} worker slot(s) on nodes with role '{ClusterConfig.WorkerRole}', " +
            $"but found {_hosts.Values.Sum(h => h.Slots)} ({(_hosts.Count == 0 ? "no worker node joined" : string.Join(", ", _hosts.Keys))})"));
        Common();
    }

    private void AskForRegions() => WorkerPlacement.Region(Context.System).Tell(GetCurrentRegions.Instance);

    private void StartWorkers()
    {
        // Cluster Sharding places every worker on a live node with a free slot (SlotAllocationStrategy).
        var region = WorkerPlacement.Region(Context.System);
        for (var rank = 0; rank < _spec.WorldSize; rank++)
        {
            region.Tell(new StartWorker(AttemptId, rank, _spec, Self));
        }

        Await("WorkerStarted", Enumerable.Range(0, _spec.WorldSize));
        _observer.OnPhase("starting workers");
        var hosts = new string[_spec.WorldSize];
        var ports = new int[_spec.WorldSize];
        Become(() =>
        {
            Receive<WorkerStarted>(started => Answered(started.Rank, started.JobId, () =>
            {
                if (_settings.Fingerprint is { } mine && mine.FirstDifference(started.Fingerprint) is { } difference)
                {
                    // Not a lost worker: the node runs another build of the job, and a restart would run it again.
                    Fail($"worker rank {started.Rank} on {Sender.Path.Address} built a different job ({difference}): " +
                        $"coordinator fingerprint {mine.Hash} [{mine.Describe()}], worker's {started.Fingerprint.Hash} [{started.Fingerprint.Describe()}]");
                    return;
                }

                _workers[started.Rank] = Sender;
                _workerNodes[started.Rank] = Sender.Path.Address;
                Context.Watch(Sender);
                hosts[started.Rank] = started.DataHost;
                ports[started.Rank] = started.DataPort;
            }, () => ConnectPeers(hosts, ports)));
            Common();
        });
    }

    private void ConnectPeers(string[] hosts, int[] ports)
    {
        _observer.OnPhase("connecting the data plane");
        Tell(new ConnectPeers(AttemptId, hosts, ports, _schedule, _restoreDirectory, _restoreStep));
        Await("PeersConnected", Enumerable.Range(0, _spec.WorldSize));
        var trainSamples = 0;
        Become(() =>
        {
            Receive<PeersConnected>(connected => Answered(connected.Rank, connected.JobId, () => trainSamples = connected.TrainSamples, () =>
            {
                _totalSteps = _spec.TotalSteps(trainSamples);
                if (_attempt == 0)
                {
                    _observer.OnStart(_totalSteps, _spec.StepsPerEpoch(trainSamples));
                    _trainClock = System.Diagnostics.Stopwatch.StartNew();
                }

                _observer.OnPhase("training");
                Resumed();
                Become(Stepping);
                StartSteps();
            }));
            Common();
        });
    }

    private void Stepping()
    {
        Receive<StepDone>(done =>
        {
            if (done.JobId != AttemptId || done.Step < _step || done.Step >= _step + StepWindow || !_stepAnswers.TryAdd((done.Step, done.Rank), done))
            {
                _log.Warning("ignored StepDone for step {0} from rank {1}: steps {2} to {3} are running", done.Step, done.Rank, _step, _step + StepWindow - 1);
                return;
            }

            if (done.Step == _step)
            {
                _pending.Remove(done.Rank);
            }

            // Steps finish in order: a worker's next step needs every worker's all-reduce of this one.
            while (_step < _totalSteps && !_ended && Enumerable.Range(0, _spec.WorldSize).All(r => _stepAnswers.ContainsKey((_step, r))))
            {
                FinishStep();
            }
        });
        Receive<StopAfterCheckpoint>(stop =>
        {
            if (_stopReason != null || _store == null)
            {
                // A second stop signal, or nowhere to write: stop now.
                Fail($"{stop.Reason} while the coordinator awaited {_awaited}");
                return;
            }

            _stopReason = stop.Reason;
            RequestCheckpoint();
        });
        Common();
    }

    /// <summary>
    /// Starts training: sends the first <see cref="StepWindow"/> steps. Workers queue them, so a worker
    /// starts its next step without waiting for a round trip through the coordinator.
    /// </summary>
    private void StartSteps()
    {
        if (_step >= _totalSteps)
        {
            Finish();
            return;
        }

        for (var s = _step; s < Math.Min(_step + StepWindow, _totalSteps); s++)
        {
            Tell(new RunStep(AttemptId, s, CheckpointAfter(s)));
        }

        AwaitStep();
    }

    private void AwaitStep()
    {
        _stepActivity = DistGradTelemetry.Coordinator.StartActivity("step");
        _stepActivity?.SetTag("distgrad.step", _step);
        _stepClock = System.Diagnostics.Stopwatch.StartNew();
        Await($"StepDone for step {_step}", Enumerable.Range(0, _spec.WorldSize).Where(r => !_stepAnswers.ContainsKey((_step, r))));
    }

    private void FinishStep()
    {
        var duration = _stepClock.Elapsed.TotalMilliseconds;
        _stepActivity?.Dispose();
        _stepActivity = null;
        var answers = Enumerable.Range(0, _spec.WorldSize).Select(r => _stepAnswers[(_step, r)]).ToArray();
        foreach (var a in answers)
        {
            _stepAnswers.Remove((_step, a.Rank));
        }

        // A checkpoint that cannot be committed has failed the job: nothing more is recorded or sent.
        var checkpointed = answers.Any(a => a.Checkpoint != null);
        if (checkpointed && !CommitCheckpoint(_step + 1, answers))
        {
            return;
        }

        if (checkpointed && _stopAfterStep == _step)
        {
            Fail($"{_stopReason}: stopped after writing the checkpoint of step {_step + 1} (train --resume on the run directory continues from it)");
            return;
        }

        var samples = answers.Sum(a => a.Samples);
        // The last stage of every replica computes the loss; every replica computed the same number of
        // samples, so the mean of their means is the batch mean.
        _lastLoss = answers.Where(a => a.Stage == _spec.PipelineStages - 1).Average(a => a.Loss);
        _trainSamples += samples;
        var record = new StepRecord(_step + 1, _lastLoss, answers[0].GradNorm, answers[0].LearningRate, samples, duration, answers.Sum(a => a.BytesAllReduced))
        {
            Timeline = answers.SelectMany(a => a.Timeline).ToArray(),
            PeakActivationBytesByStage = Enumerable.Range(0, _spec.PipelineStages)
                .Select(stage => answers.Where(a => a.Stage == stage).Max(a => a.PeakActivationBytes)).ToArray(),
        };
        DistGradTelemetry.StepDuration.Record(duration);
        DistGradTelemetry.GradNorm.Record(record.GradNorm);
        _observer.OnStep(record);
        _step++;
        if (_step + StepWindow - 1 < _totalSteps)
        {
            Tell(new RunStep(AttemptId, _step + StepWindow - 1, CheckpointAfter(_step + StepWindow - 1)));
        }

        if (_step < _totalSteps)
        {
            AwaitStep();
        }
        else
        {
            Timers.Cancel(DeadlineTimer);
            Finish();
        }
    }

    private void Finish()
    {
        var trainSeconds = _trainClock.Elapsed.TotalSeconds;
        _observer.OnPhase(_spec.Evaluate ? "evaluating" : "finishing");
        Tell(new FinishJob(AttemptId, _settings.FinalParametersPath));
        Await("JobFinished", Enumerable.Range(0, _spec.WorldSize));
        Become(() =>
        {
            Receive<JobFinished>(finished => Answered(finished.Rank, finished.JobId, () => _testAccuracy ??= finished.TestAccuracy, () =>
            {
                Tell(new StopJob(AttemptId));
                AnnounceEnd(new JobEnded(true, null, (int)_step));
                _completion.TrySetResult(new JobOutcome(true, null, (int)_step, _lastLoss, _testAccuracy, _hosts.Count, trainSeconds, _trainSamples) { Recoveries = _restarts });
                Context.Stop(Self);
            }));
            Common();
        });
    }

    /// <summary>Failure handling shared by every phase.</summary>
    private void Common()
    {
        Receive<WorkerFailed>(failed =>
        {
            if (failed.JobId == AttemptId)
            {
                Lost($"worker rank {failed.Rank} ({WorkerPath(failed.Rank)}) failed in {failed.Action}: {failed.Reason}");
            }
        });
        Receive<WorkerRefused>(refused =>
        {
            if (refused.JobId == AttemptId)
            {
                Fail($"worker rank {refused.Rank} on {refused.Node} cannot run the job: {refused.Reason}");
            }
        });
        Receive<Rejected>(rejected => rejected.JobId == AttemptId, rejected => Fail($"worker rank {rejected.Rank} ({WorkerPath(rejected.Rank)}) rejected an instruction: {rejected.Reason}"));
        Receive<Terminated>(terminated =>
        {
            var rank = Array.IndexOf(_workers, terminated.ActorRef);
            if (rank >= 0)
            {
                Lost($"worker rank {rank} ({terminated.ActorRef.Path}) stopped while the coordinator awaited {_awaited}");
            }
        });
        Receive<ClusterEvent.UnreachableMember>(unreachable =>
        {
            _hosts.Remove(unreachable.Member.Address);
            var ranks = Enumerable.Range(0, _workerNodes.Length).Where(r => unreachable.Member.Address.Equals(_workerNodes[r])).ToArray();
            if (ranks.Length > 0)
            {
                Lost($"worker rank {string.Join(", ", ranks)} on {unreachable.Member.Address} became unreachable while the coordinator awaited {_awaited}");
            }
        });
        Receive<ClusterEvent.MemberRemoved>(removed =>
        {
            _hosts.Remove(removed.Member.Address);
            var ranks = Enumerable.Range(0, _workerNodes.Length).Where(r => removed.Member.Address.Equals(_workerNodes[r])).ToArray();
            if (ranks.Length > 0)
            {
                Lost($"worker rank {string.Join(", ", ranks)} on {removed.Member.Address} left the cluster while the coordinator awaited {_awaited}");
            }
        });
        Receive<Deadline>(deadline =>
        {
            var missing = string.Join(", ", _pending.Order().Select(r => $"rank {r} ({WorkerPath(r)})"));
            Lost($"timed out after {Seconds(_settings.ActionTimeout(_spec))} awaiting {deadline.Awaited} from {missing}");
        });
        Receive<Abort>(abort => Fail($"{abort.Reason} while the coordinator awaited {_awaited}"));
        // Before training (or while recovering) there is no step to checkpoint after: stop now.
        Receive<StopAfterCheckpoint>(stop => Fail($"{stop.Reason} while the coordinator awaited {_awaited}"));
        Receive<CheckpointNow>(_ => RequestCheckpoint());
        Receive<ClusterEvent.IMemberEvent>(_ => { });
        Receive<HostCapacity>(_ => { });
    }

    /// <summary>Records that <paramref name="rank"/> answered; when the last awaited rank has, runs <paramref name="whenAll"/>.</summary>
    private void Answered(int rank, string jobId, Action record, Action whenAll)
    {
        if (jobId != AttemptId || !_pending.Remove(rank))
        {
            _log.Warning("ignored an answer from rank {0} for job '{1}' while awaiting {2}", rank, jobId, _awaited);
            return;
        }

        record();
        if (_pending.Count == 0 && !_ended)
        {
            Timers.Cancel(DeadlineTimer);
            whenAll();
        }
    }

    private void Await(string action, IEnumerable<int> ranks)
    {
        _awaited = action;
        _pending.Clear();
        _pending.UnionWith(ranks);
        Timers.StartSingleTimer(DeadlineTimer, new Deadline(action), _settings.ActionTimeout(_spec));
    }

    private void Tell(object message)
    {
        foreach (var worker in _workers)
        {
            worker?.Tell(message);
        }
    }

    private void Fail(string error)
    {
        _ended = true;
        _log.Info("job {0} failed: {1}", _jobId, error);
        Tell(new StopJob(AttemptId));
        AnnounceEnd(new JobEnded(false, error, (int)_step));
        _completion.TrySetResult(JobOutcome.Failed(error, (int)_step, _hosts.Count) with { Recoveries = _restarts });
        Context.Stop(Self);
    }

    /// <summary>Tells the job's other coordinator processes (standbys) that it is over.</summary>
    private void AnnounceEnd(JobEnded ended)
    {
        if (_settings.JobRole is not { } role)
        {
            return;
        }

        foreach (var member in _cluster.State.Members.Where(m => m.HasRole(role) && !m.Address.Equals(_cluster.SelfAddress)))
        {
            Context.ActorSelection(new RootActorPath(member.Address) / "user" / JobWatchActor.Name).Tell(ended);
        }
    }

    private string WorkerPath(int rank) =>
        rank >= 0 && rank < _workers.Length && _workers[rank] is { } worker ? worker.Path.ToString()
        : rank >= 0 && rank < _workerNodes.Length && _workerNodes[rank] is { } node ? node.ToString()
        : "not started";

    private static string Seconds(TimeSpan span) => $"{span.TotalSeconds:0.#} s";

    /// <summary>Stops the job from outside (a signal): workers are told to stop and the job fails with the reason.</summary>
    public sealed record Abort(string Reason);

    /// <summary>
    /// Stops the job after a checkpoint (SIGTERM: Kubernetes evicting the pod, a drain): the next step sent writes
    /// one, and the job ends once it is committed, so a resumed job loses at most the steps already in flight.
    /// </summary>
    public sealed record StopAfterCheckpoint(string Reason);

    private sealed record Deadline(string Awaited);

    private sealed class AskRegions
    {
        public static readonly AskRegions Instance = new();
    }
}
