using Akka.Actor;
using DistGrad.Distributed.Messages;

namespace DistGrad.Distributed.Coordination;

/// <summary>
/// Every coordinator process runs one at <c>/user/job-watch</c>: a standby learns here that the job ended
/// on the coordinator that ran it, and ends too with that outcome.
/// </summary>
public sealed class JobWatchActor : ReceiveActor
{
    public const string Name = "job-watch";

    public JobWatchActor(TaskCompletionSource<JobOutcome> completion, IActorRef coordinatorManager) =>
        Receive<JobEnded>(ended =>
        {
            // The job is over: this process must not take it over when the coordinator's node leaves.
            coordinatorManager.Tell(PoisonPill.Instance);
            completion.TrySetResult(ended.Succeeded
                ? new JobOutcome(true, null, ended.Steps, null, null, 0, 0, 0) { RanElsewhere = true }
                : JobOutcome.Failed($"the job failed on its coordinator: {ended.Error}", ended.Steps, 0) with { RanElsewhere = true });
        });

    public static Props Props(TaskCompletionSource<JobOutcome> completion, IActorRef coordinatorManager) =>
        Akka.Actor.Props.Create(() => new JobWatchActor(completion, coordinatorManager));
}
