using System.Net;
using Akka.Actor;
using Akka.Event;
using DistGrad.Actors.Messages;

namespace DistGrad.Actors.Workers;

/// <summary>
/// The actor every worker node runs at <c>/user/workers</c>: tells coordinators how many worker slots
/// (devices) the node has and starts a <see cref="WorkerActor"/> per assigned rank.
/// </summary>
public sealed class WorkerHostActor : ReceiveActor
{
    /// <summary>The host's actor name; coordinators address <c>/user/workers</c> on each worker node.</summary>
    public const string Name = "workers";

    public WorkerHostActor(int slots, string devices, IPAddress dataAddress)
    {
        var log = Context.GetLogger();
        // Workers take the node's devices in turn (a CPU node lists "cpu" once per slot it offers).
        var deviceList = devices.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Devices.Parse).ToArray();
        var started = 0;
        Receive<QueryCapacity>(q => Sender.Tell(new HostCapacity(q.JobId, slots, devices)));
        Receive<StartWorker>(start =>
        {
            var name = $"{Sanitize(start.JobId)}-rank{start.Rank}";
            if (!Context.Child(name).IsNobody())
            {
                log.Warning("rejected StartWorker: rank {0} of job '{1}' already runs here", start.Rank, start.JobId);
                Sender.Tell(new Rejected(start.JobId, start.Rank, $"rank {start.Rank} of job '{start.JobId}' already runs on this node"));
                return;
            }

            var device = deviceList.Length == 0 ? Device.Cpu : deviceList[started++ % deviceList.Length];
            Context.ActorOf(WorkerActor.Props(start.JobId, start.Rank, start.Spec, start.Coordinator, dataAddress, device), name);
        });
    }

    /// <summary>A worker that fails is stopped, not restarted: the coordinator fails the job with its reason.</summary>
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);

    public static Props Props(int slots, string devices, IPAddress dataAddress) =>
        Akka.Actor.Props.Create(() => new WorkerHostActor(slots, devices, dataAddress));

    /// <summary>Job ids in actor names: letters, digits and dashes only.</summary>
    private static string Sanitize(string jobId) =>
        new(jobId.Select(c => char.IsAsciiLetterOrDigit(c) || c == '-' ? c : '-').ToArray());
}
