using DistGrad.Distributed.Pipeline;
using System.Net;
using Akka.Actor;
using DistGrad.Distributed.Messages;
using DistGrad.Distributed.Workers;

namespace DistGrad.Distributed.Tests.Cluster;

/// <summary>A worker checks every instruction against its job and the step it expects, and says why it refuses one.</summary>
public class WorkerActorTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly JobSpec Solo = new() { Job = "mlp", BatchSize = 16, DataParallel = 1, Seed = 1, Evaluate = false };

    [Fact]
    public void Messages_for_another_job_or_an_unexpected_step_are_rejected_with_the_reason()
    {
        var worker = Sys.ActorOf(WorkerActor.Props("job-a", 0, BuiltInJobs.Mlp, Solo, TestActor, DataPlaneAddress.Loopback));
        var started = ExpectMsg<WorkerStarted>(TimeSpan.FromSeconds(10));
        Assert.Equal(0, started.Rank);

        worker.Tell(new RunStep("job-b", 0));
        Assert.Contains("is for job 'job-b', but this worker runs job 'job-a'", ExpectMsg<Rejected>().Reason);

        worker.Tell(new RunStep("job-a", 0));
        Assert.Contains("arrived before ConnectPeers", ExpectMsg<Rejected>().Reason);

        worker.Tell(new ConnectPeers("job-a", [started.DataHost], [started.DataPort], PipelineSchedules.OneFOneB(1, 1)));
        ExpectMsg<PeersConnected>(TimeSpan.FromSeconds(30));

        worker.Tell(new RunStep("job-a", 3));
        Assert.Contains("RunStep(3) is not the step this worker expects (0)", ExpectMsg<Rejected>().Reason);

        worker.Tell(new RunStep("job-a", 0));
        var done = ExpectMsg<StepDone>(TimeSpan.FromSeconds(30));
        Assert.Equal(16, done.Samples);
        Assert.True(double.IsFinite(done.Loss) && done.Loss > 0);
        Assert.True(done.GradNorm > 0);
    }

    [Fact]
    public void A_worker_stops_when_its_coordinator_is_gone()
    {
        var coordinator = CreateTestProbe();
        var worker = Sys.ActorOf(WorkerActor.Props("job-d", 0, BuiltInJobs.Mlp, Solo, coordinator.Ref, DataPlaneAddress.Loopback));
        coordinator.ExpectMsg<WorkerStarted>(TimeSpan.FromSeconds(10));
        Watch(worker);

        Sys.Stop(coordinator.Ref);

        ExpectTerminated(worker, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void A_failure_on_the_compute_thread_is_reported_with_the_action()
    {
        var spec = Solo with { Dataset = DatasetCatalog.Full, DataDirectory = "/nonexistent/fashion" };
        var worker = Sys.ActorOf(WorkerActor.Props("job-c", 0, BuiltInJobs.Mlp, spec, TestActor, DataPlaneAddress.Loopback));
        var started = ExpectMsg<WorkerStarted>(TimeSpan.FromSeconds(10));
        worker.Tell(new ConnectPeers("job-c", [started.DataHost], [started.DataPort], PipelineSchedules.OneFOneB(1, 1)));
        var failed = ExpectMsg<WorkerFailed>(TimeSpan.FromSeconds(30));
        Assert.Equal("ConnectPeers", failed.Action);
        Assert.Contains("/nonexistent/fashion", failed.Reason);
    }

    [Fact]
    public void A_worker_reports_the_fingerprint_of_the_job_it_built()
    {
        Sys.ActorOf(WorkerActor.Props("job-e", 0, BuiltInJobs.Mlp, Solo, TestActor, DataPlaneAddress.Loopback));
        var started = ExpectMsg<WorkerStarted>(TimeSpan.FromSeconds(10));
        Assert.Equal("mlp", started.Fingerprint.Job);
        // 784-256-128-10: three linear layers, weight [out, in] and bias [out] each.
        Assert.Equal(["0.weight[256,784]", "0.bias[256]", "2.weight[128,256]", "2.bias[128]", "4.weight[10,128]", "4.bias[10]"], started.Fingerprint.Parameters);
        Assert.Equal(["Accumulate(1)", "AllReduce(data-parallel)", "GradNorm(2)", "OptimizerStep"], started.Fingerprint.Gradients);
        Assert.Null(JobFingerprint.Of(BuiltInJobs.Mlp, Solo).FirstDifference(started.Fingerprint));
    }

    [Fact]
    public void A_model_factory_that_throws_refuses_the_rank_instead_of_starting()
    {
        var broken = BuiltInJobs.Mlp with { Model = _ => throw new InvalidOperationException("no such layer") };
        var worker = Sys.ActorOf(WorkerActor.Props("job-f", 3, broken, Solo with { DataParallel = 4 }, TestActor, DataPlaneAddress.Loopback));
        Watch(worker);
        var refused = ExpectMsg<WorkerRefused>(TimeSpan.FromSeconds(10));
        Assert.Equal(3, refused.Rank);
        Assert.Contains("building job 'mlp' failed: InvalidOperationException: no such layer", refused.Reason, StringComparison.Ordinal);
        ExpectTerminated(worker, TimeSpan.FromSeconds(10));
    }
}
