using DistGrad.Distributed.Collectives;
using DistGrad.Distributed.DataPlane;
using DistGrad.Distributed.Pipeline;
using DistGrad.Distributed.Gradients;
using DistGrad.Distributed.Training;
using DistGrad.Data;

namespace DistGrad.Distributed.Workers;

/// <summary>A worker's live job state once its peers are connected: the transport, the groups and the trainer.</summary>
public sealed class WorkerSession : IDisposable
{
    private readonly ITransport _transport;

    private WorkerSession(ITransport transport, ReplicaTrainer trainer)
    {
        _transport = transport;
        Trainer = trainer;
    }

    public ReplicaTrainer Trainer { get; }

    /// <summary>
    /// Connects the data plane to every peer (with <paramref name="security"/>'s TLS and refusal log, and this job's
    /// message cap), builds the trainer and syncs parameters from rank 0.
    /// </summary>
    public static WorkerSession Open(
        TrainingJob job, JobSpec spec, int rank, Device device, DataPlaneEndpoint endpoint, IReadOnlyList<string> hosts, IReadOnlyList<int> ports, string jobId,
        TcpTransportOptions security, PipelineSchedule? schedule = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(endpoint);
        var train = job.TrainingData(new JobContext(spec, rank, device));
        var transport = endpoint.Connect(rank, hosts, ports, jobId, spec.StepTimeout, security with { MaxMessageBytes = MessageCap.Of(job, spec, train) });
        try
        {
            return new WorkerSession(transport, CreateTrainer(job, spec, rank, transport, train, device: device, schedule: schedule));
        }
        catch
        {
            transport.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }

    /// <summary>
    /// The trainer of <paramref name="rank"/> over a connected transport, with parameters synced from replica 0;
    /// <paramref name="schedule"/> is the coordinator's pipeline schedule (null: the one the spec names).
    /// </summary>
    public static ReplicaTrainer CreateTrainer(
        TrainingJob job, JobSpec spec, int rank, ITransport transport, Dataset train, IReadOnlyList<IGradientProcessor>? gradientPipeline = null, Device? device = null,
        PipelineSchedule? schedule = null)
    {
        var layout = JobLayout.Of(spec);
        var dataParallelRanks = layout.DataParallelGroupOf(rank);
        var dataParallel = dataParallelRanks.Count == 1
            ? ProcessGroup.Solo("data-parallel", rank)
            : new ProcessGroup("data-parallel", dataParallelRanks, new Communicator(transport, dataParallelRanks, spec.StepTimeout));
        // The model group (the stages of one replica) shares members with the data-parallel groups, so its
        // collectives take their own channel of the transport.
        var modelRanks = layout.ModelGroupOf(rank);
        var model = modelRanks.Count == 1
            ? ProcessGroup.Solo("model", rank)
            : new ProcessGroup("model", modelRanks, new Communicator(transport, modelRanks, spec.StepTimeout, channel: 1));
        var stage = layout.StageOf(rank);
        var links = spec.PipelineStages == 1
            ? null
            : new StageLinks(transport, stage, stage > 0 ? rank - 1 : null, stage < spec.PipelineStages - 1 ? rank + 1 : null);
        var trainer = new ReplicaTrainer(job, spec, rank, train, dataParallel, model, gradientPipeline, device, links, schedule);
        trainer.BroadcastInitialParameters();
        return trainer;
    }

    public void Dispose() => _transport.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
