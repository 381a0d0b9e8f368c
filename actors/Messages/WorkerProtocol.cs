using Akka.Actor;
using DistGrad.Distributed.Checkpoints;
using DistGrad.Distributed.Pipeline;

namespace DistGrad.Distributed.Messages;

// Coordinator ↔ worker: starting a rank, connecting the data plane, the steps, the end of the job.

/// <summary>Coordinator → host: start the worker of <paramref name="Rank"/> for this job.</summary>
public sealed record StartWorker(string JobId, int Rank, JobSpec Spec, IActorRef Coordinator) : IControlMessage;

/// <summary>
/// Worker → coordinator: ready, listening for data-plane peers at host:port. <paramref name="Fingerprint"/> is the
/// job as this worker's process built it; the coordinator fails the job when it differs from its own.
/// </summary>
public sealed record WorkerStarted(string JobId, int Rank, string DataHost, int DataPort, JobFingerprint Fingerprint) : IControlMessage;

/// <summary>
/// Worker node → coordinator: this node cannot run the rank at all (it does not have the job, or the job's
/// factories failed there). Not a lost worker: restarting would fail the same way, so the job fails.
/// </summary>
public sealed record WorkerRefused(string JobId, int Rank, string Node, string Reason) : IControlMessage;

/// <summary>
/// Coordinator → workers: everyone's data-plane endpoint, by rank; connect and sync parameters. <paramref name="Schedule"/>
/// is the pipeline schedule the coordinator generated and validated: each worker runs its stage's action list every step.
/// </summary>
/// <remarks>
/// With <paramref name="RestoreStep"/> set, every worker loads its shard of that checkpoint from
/// <paramref name="RestoreDirectory"/> and continues from there (a resumed job, or a recovery).
/// </remarks>
public sealed record ConnectPeers(
    string JobId, IReadOnlyList<string> Hosts, IReadOnlyList<int> Ports, PipelineSchedule Schedule,
    string? RestoreDirectory = null, long? RestoreStep = null) : IControlMessage;

/// <summary>Worker → coordinator: the data plane is up, parameters are in sync, and the training set has <paramref name="TrainSamples"/> samples.</summary>
public sealed record PeersConnected(string JobId, int Rank, int TrainSamples) : IControlMessage;

/// <summary>Coordinator → workers: run optimizer step <paramref name="Step"/>, then write a checkpoint shard when <paramref name="Checkpoint"/> says so.</summary>
public sealed record RunStep(string JobId, long Step, bool Checkpoint = false) : IControlMessage;

/// <summary>
/// Worker → coordinator: the step is done. <paramref name="Loss"/> is NaN on pipeline stages other than the last;
/// <paramref name="Timeline"/> times every action the worker ran (empty when the job has one stage);
/// <paramref name="Checkpoint"/> is the shard the worker wrote after the step, when asked to.
/// </summary>
public sealed record StepDone(
    string JobId, int Rank, long Step, double Loss, int Samples, double GradNorm, double LearningRate, long BytesAllReduced,
    double ComputeMilliseconds, int Stage, long PeakActivationBytes, IReadOnlyList<TimelineEvent> Timeline,
    ShardInfo? Checkpoint = null) : IControlMessage;

/// <summary>Coordinator → workers: training is over; rank 0 evaluates and writes the final parameters.</summary>
public sealed record FinishJob(string JobId, string? FinalParametersPath) : IControlMessage;

/// <summary>Worker → coordinator: finished (rank 0 adds the test accuracy when the job evaluates).</summary>
public sealed record JobFinished(string JobId, int Rank, double? TestAccuracy) : IControlMessage;

/// <summary>Worker → coordinator: the action failed on this worker; <paramref name="Reason"/> says why.</summary>
public sealed record WorkerFailed(string JobId, int Rank, string Action, string Reason) : IControlMessage;

/// <summary>Worker → sender: the message was for another job or an unexpected step, and was not acted on.</summary>
public sealed record Rejected(string JobId, int Rank, string Reason) : IControlMessage;

/// <summary>Coordinator → workers: the job is over (done or failed); release everything.</summary>
public sealed record StopJob(string JobId) : IControlMessage;
