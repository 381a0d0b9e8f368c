using System.Net;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using DistGrad.Distributed.Messages;
using DistGrad.Distributed.Workers;

namespace DistGrad.Distributed.Placement;

/// <summary>
/// The Cluster Sharding entity of one (stage, replica) worker of one job attempt. Sharding decides its node
/// (<see cref="SlotAllocationStrategy"/>); on <see cref="StartWorker"/> it takes one of the node's devices and
/// runs the <see cref="WorkerActor"/> as its child. When the worker stops, the entity gives the device back
/// and asks its shard to passivate it.
/// </summary>
public sealed class WorkerEntity : ReceiveActor
{
    private readonly DeviceSlots _devices;
    private readonly DataPlaneAddress _dataAddress;
    private readonly JobCatalog _jobs;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private IActorRef? _worker;
    private Device? _device;

    public WorkerEntity(DeviceSlots devices, DataPlaneAddress dataAddress, JobCatalog jobs)
    {
        _devices = devices;
        _dataAddress = dataAddress;
        _jobs = jobs;
        Receive<StartWorker>(Start);
        Receive<Terminated>(t => t.ActorRef.Equals(_worker), _ =>
        {
            Release();
            Context.Parent.Tell(new Passivate(PoisonPill.Instance));
        });
    }

    public static Props Props(DeviceSlots devices, DataPlaneAddress dataAddress, JobCatalog jobs) =>
        Akka.Actor.Props.Create(() => new WorkerEntity(devices, dataAddress, jobs));

    /// <summary>A worker that fails is stopped, not restarted: the coordinator recovers or fails the job with its reason.</summary>
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);

    protected override void PostStop() => Release();

    private void Start(StartWorker start)
    {
        if (_worker != null)
        {
            _log.Warning("rejected StartWorker: rank {0} of job '{1}' already runs here", start.Rank, start.JobId);
            Sender.Tell(new Rejected(start.JobId, start.Rank, $"rank {start.Rank} of job '{start.JobId}' already runs on this node"));
            return;
        }

        var node = Akka.Cluster.Cluster.Get(Context.System).SelfAddress.ToString();
        if (_jobs.Find(start.Spec.Job) is not { } job)
        {
            // Every node runs the same program (or loads the same job assembly): a node without the job was
            // deployed with another build, and retrying the rank elsewhere would hide that.
            var reason = $"this node has no job named '{start.Spec.Job}' (it has: {(_jobs.Names.Count == 0 ? "none" : string.Join(", ", _jobs.Names))}); " +
                "deploy the same program on every node, or start node-host with the job's --job-assembly";
            _log.Error("refused rank {0} of job '{1}': {2}", start.Rank, start.JobId, reason);
            start.Coordinator.Tell(new WorkerRefused(start.JobId, start.Rank, node, reason));
            Context.Parent.Tell(new Passivate(PoisonPill.Instance));
            return;
        }

        try
        {
            _device = _devices.Acquire();
        }
        catch (InvalidOperationException e)
        {
            start.Coordinator.Tell(new WorkerFailed(start.JobId, start.Rank, "StartWorker", $"{node}: {e.Message}"));
            Context.Parent.Tell(new Passivate(PoisonPill.Instance));
            return;
        }

        _worker = Context.ActorOf(WorkerActor.Props(start.JobId, start.Rank, job, start.Spec, start.Coordinator, _dataAddress, _device), "worker");
        Context.Watch(_worker);
    }

    private void Release()
    {
        if (_device is { } device)
        {
            _devices.Release(device);
            _device = null;
        }
    }
}
