using System.Net;
using Akka.Actor;
using Akka.Event;
using DistGrad.Distributed.Checkpoints;
using DistGrad.Distributed.DataPlane;
using DistGrad.Distributed.Security;
using DistGrad.Distributed.Messages;
using DistGrad.Distributed.Training;
using DistGrad.Serialization;

namespace DistGrad.Distributed.Workers;

/// <summary>
/// The worker of one (stage, replica) of one job, on one device: owns its replica's parameters and
/// optimizer state, reads its own data slices, and runs forward, backward and the gradient processors when
/// the coordinator says so. The heavy work runs on the worker's compute thread; the actor only accepts
/// instructions, checks that they are for its job and the step it expects, and reports back.
/// </summary>
public sealed class WorkerActor : ReceiveActor
{
    private readonly string _jobId;
    private readonly int _rank;
    private readonly TrainingJob _job;
    private readonly JobSpec _spec;
    private readonly IActorRef _coordinator;
    private readonly DataPlaneAddress _dataAddress;
    private readonly Device _device;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly ComputeThread _compute;
    private DataPlaneEndpoint? _endpoint;
    private WorkerSession? _session;
    private long _expectedStep;
    private volatile bool _stopping;

    public WorkerActor(string jobId, int rank, TrainingJob job, JobSpec spec, IActorRef coordinator, DataPlaneAddress dataAddress, Device device)
    {
        _device = device;
        _jobId = jobId;
        _rank = rank;
        _job = job;
        _spec = spec;
        _coordinator = coordinator;
        _dataAddress = dataAddress;
        _compute = new ComputeThread($"distgrad-{jobId}-rank{rank}");
        _compute.Run(() => CpuThreads.Limit = spec.ThreadsPerWorker);

        Receive<ConnectPeers>(OnConnectPeers);
        Receive<RunStep>(OnRunStep);
        Receive<FinishJob>(OnFinish);
        Receive<StopJob>(m =>
        {
            if (ForThisJob(m.JobId, "StopJob"))
            {
                Context.Stop(Self);
            }
        });
        Receive<Terminated>(t => t.ActorRef.Equals(_coordinator), _ => CoordinatorGone());
    }

    public static Props Props(string jobId, int rank, TrainingJob job, JobSpec spec, IActorRef coordinator, DataPlaneAddress dataAddress, Device? device = null) =>
        Akka.Actor.Props.Create(() => new WorkerActor(jobId, rank, job, spec, coordinator, dataAddress, device ?? Device.Cpu));

    protected override void PreStart()
    {
        // A worker lives as long as its job: when the coordinator goes (done, failed or its node lost), so does it.
        Context.Watch(_coordinator);
        JobFingerprint fingerprint;
        try
        {
            // Built from this process's copy of the job: the coordinator compares it with its own before step 1.
            fingerprint = JobFingerprint.Of(_job, _spec, _rank);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var reason = $"building job '{_job.Name}' failed: {e.GetType().Name}: {e.Message}";
            _log.Error("rank {0}: {1}", _rank, reason);
            _coordinator.Tell(new WorkerRefused(_jobId, _rank, ((ExtendedActorSystem)Context.System).Provider.DefaultAddress.ToString(), reason));
            Context.Stop(Self);
            return;
        }

        string? problem = RunDirectoryProbe.Problem(_spec.RunDirectoryProbe);
        if (problem == null)
        {
            try
            {
                _endpoint = DataPlaneEndpoint.Listen(_dataAddress);
                problem = _endpoint.ReachabilityProblem(TimeSpan.FromSeconds(3));
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
            {
                problem = $"cannot listen for tensors on {_dataAddress}: {e.Message}";
            }
        }

        if (problem != null)
        {
            _log.Error("rank {0}: {1}", _rank, problem);
            _coordinator.Tell(new WorkerRefused(_jobId, _rank, ((ExtendedActorSystem)Context.System).Provider.DefaultAddress.ToString(), problem));
            Context.Stop(Self);
            return;
        }

        _coordinator.Tell(new WorkerStarted(_jobId, _rank, _endpoint!.Host, _endpoint.Port, fingerprint));
    }

    protected override void PostStop()
    {
        _stopping = true;
        var session = _session;
        var endpoint = _endpoint;
        _compute.Run(() =>
        {
            session?.Dispose();
            endpoint?.Dispose();
            return 0;
        }).ContinueWith(_ => _compute.Dispose(), TaskScheduler.Default);
    }

    private void OnConnectPeers(ConnectPeers message)
    {
        if (!ForThisJob(message.JobId, "ConnectPeers"))
        {
            return;
        }

        var endpoint = _endpoint!;
        // The node's own certificates secure the data plane too; strangers are logged here, on the node they tried.
        var log = _log;
        var security = new TcpTransportOptions { Tls = NodeTls.Of(Context.System), LogRefusal = line => log.Warning("{0}", line) };
        WorkerSession? opened = null;
        Run(
            "ConnectPeers",
            () =>
            {
                opened = WorkerSession.Open(_job, _spec, _rank, _device, endpoint, message.Hosts, message.Ports, _jobId, security, message.Schedule);
                if (message.RestoreStep is { } step)
                {
                    var store = new CheckpointStore(message.RestoreDirectory ?? throw new ArgumentException("ConnectPeers names a step to restore but no checkpoint directory"));
                    var checkpoint = store.Find(step, reason => _log.Warning("rank {0}: {1}", _rank, reason))
                        ?? throw new InvalidDataException($"the checkpoint of step {step} in {store.Root} is missing or damaged");
                    opened.Trainer.Restore(store, checkpoint);
                }

                return new PeersConnected(_jobId, _rank, opened.Trainer.TrainSamples);
            },
            onSuccess: () =>
            {
                _session = opened;
                _expectedStep = opened!.Trainer.NextStep;
            });
    }

    private void OnRunStep(RunStep message)
    {
        if (!ForThisJob(message.JobId, "RunStep"))
        {
            return;
        }

        if (_session == null || message.Step != _expectedStep)
        {
            var reason = _session == null
                ? $"RunStep({message.Step}) arrived before ConnectPeers"
                : $"RunStep({message.Step}) is not the step this worker expects ({_expectedStep})";
            Reject(reason);
            return;
        }

        // Steps queue on the compute thread (the coordinator keeps the next one coming while this one runs);
        // each answers the coordinator straight from the compute thread's continuation.
        _expectedStep++;
        var session = _session;
        var action = $"RunStep({message.Step})";
        _compute.Run<IControlMessage>(() =>
        {
            if (_stopping)
            {
                throw new OperationCanceledException("the worker is stopping");
            }

            var r = session.Trainer.RunStep(message.Step);
            // Written before the next step starts, so the shard holds exactly the state after this one.
            var shard = message.Checkpoint ? session.Trainer.WriteCheckpoint(CheckpointStoreFor(_spec)) : null;
            // One-stage jobs leave the timeline out: it only matters where stages wait for each other.
            var timeline = _spec.PipelineStages > 1 ? r.Timeline.ToArray() : [];
            return new StepDone(
                _jobId, _rank, message.Step, r.Loss, r.Samples, r.GradNorm, r.LearningRate, r.BytesAllReduced, r.ComputeMilliseconds, r.Stage, r.PeakActivationBytes, timeline, shard);
        }).ContinueWith(task => Answer(action, task), TaskScheduler.Default);
    }

    private void OnFinish(FinishJob message)
    {
        if (!ForThisJob(message.JobId, "FinishJob"))
        {
            return;
        }

        if (_session == null)
        {
            Reject("FinishJob arrived before ConnectPeers");
            return;
        }

        var session = _session;
        Run("FinishJob", () =>
        {
            // Every stage of replica 0 sends its shard to rank 0, which writes and evaluates the whole model.
            double? accuracy = null;
            if (session.Trainer.GatherParameters() is { } parameters)
            {
                if (message.FinalParametersPath is { } path)
                {
                    SafeTensors.Save(path, parameters);
                }

                if (_spec.Evaluate && session.Trainer.TestData() is { } test)
                {
                    accuracy = session.Trainer.Evaluate(test, parameters);
                }
            }

            return new JobFinished(_jobId, _rank, accuracy);
        });
    }

    /// <summary>
    /// Runs <paramref name="work"/> on the compute thread and sends its answer, or the failure, to the
    /// coordinator; <paramref name="onSuccess"/> runs back in the actor, where actor state may change.
    /// </summary>
    private void Run(string action, Func<IControlMessage> work, Action? onSuccess = null)
    {
        var self = Self;
        _compute.Run(work).ContinueWith(
            task => self.Tell(new WorkDone(task.IsCompletedSuccessfully ? task.Result : Failure(action, task.Exception))),
            TaskScheduler.Default);
        BecomeStacked(() =>
        {
            Receive<WorkDone>(done =>
            {
                UnbecomeStacked();
                if (done.Answer is WorkerFailed failed)
                {
                    _log.Error("rank {0}: {1} failed: {2}", _rank, failed.Action, failed.Reason);
                }
                else
                {
                    onSuccess?.Invoke();
                }

                _coordinator.Tell(done.Answer);
            });
            Receive<StopJob>(m =>
            {
                if (ForThisJob(m.JobId, "StopJob"))
                {
                    Context.Stop(Self);
                }
            });
            Receive<Terminated>(t => t.ActorRef.Equals(_coordinator), _ => CoordinatorGone());
            ReceiveAny(m => Reject($"{m.GetType().Name} arrived while the worker is busy"));
        });
    }

    private static CheckpointStore CheckpointStoreFor(JobSpec spec) =>
        new(spec.CheckpointDirectory ?? throw new InvalidOperationException("asked to write a checkpoint, but the job has no checkpoint directory"), spec.CheckpointKeep);

    private void CoordinatorGone()
    {
        _log.Warning("rank {0} of job '{1}': the coordinator is gone; stopping", _rank, _jobId);
        Context.Stop(Self);
    }

    private bool ForThisJob(string jobId, string action)
    {
        if (jobId == _jobId)
        {
            return true;
        }

        Reject($"{action} is for job '{jobId}', but this worker runs job '{_jobId}'");
        return false;
    }

    private void Reject(string reason)
    {
        _log.Warning("rank {0} rejected a message: {1}", _rank, reason);
        Sender.Tell(new Rejected(_jobId, _rank, reason));
    }

    /// <summary>Sends a queued step's answer (or its failure) to the coordinator, from the compute thread's continuation.</summary>
    private void Answer(string action, Task<IControlMessage> task)
    {
        var answer = task.IsCompletedSuccessfully ? task.Result : Failure(action, task.Exception);
        if (answer is WorkerFailed failed)
        {
            _log.Error("rank {0}: {1} failed: {2}", _rank, failed.Action, failed.Reason);
        }

        _coordinator.Tell(answer);
    }

    private WorkerFailed Failure(string action, AggregateException? error) => new(_jobId, _rank, action, Describe(error));

    private static string Describe(AggregateException? error)
    {
        var inner = error?.InnerExceptions.Count == 1 ? error.InnerException! : error;
        return inner == null ? "unknown error" : $"{inner.GetType().Name}: {inner.Message}";
    }

    /// <summary>The answer of work finished on the compute thread, back in the actor.</summary>
    private sealed record WorkDone(IControlMessage Answer);
}
