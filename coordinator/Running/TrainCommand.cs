using System.Diagnostics;
using System.Runtime.InteropServices;
using Akka.Actor;
using Akka.Cluster;
using DistGrad.Actors.Config;
using DistGrad.Actors.Pipeline;
using DistGrad.Actors.Placement;
using DistGrad.Actors.Telemetry;
using DistGrad.Coordinator.Cli;
using DistGrad.Coordinator.Coordination;

namespace DistGrad.Coordinator.Running;

/// <summary>
/// <c>coordinator train</c>: starts the coordinator's node (and the embedded worker nodes unless
/// --cluster), runs the job, writes the run directory and prints a summary.
/// </summary>
public static class TrainCommand
{
    /// <summary>
    /// Runs the job; returns its outcome (the caller turns a failure into exit code 1). <paramref name="watcher"/>
    /// sees the embedded cluster and then every event of the job (tests use it to stop a node mid-run).
    /// </summary>
    public static async Task<JobOutcome> RunAsync(TrainOptions options, TextWriter output, bool interactive, IClusterWatcher? watcher = null)
    {
        var wall = Stopwatch.StartNew();
        var telemetry = TelemetrySetup.Start(options.Telemetry, options.OtlpEndpoint);
        using var run = new RunDirectory(options.OutputDirectory ?? RunDirectory.DefaultPath(DateTime.UtcNow), append: options.ResumeDirectory != null);
        var progress = new ProgressDisplay(output, interactive);
        var job = options.Job;
        if (job.PipelineStages > 1)
        {
            // The cut is decided once, here, and sent to every worker as layer counts (a profile measured on
            // each worker would differ).
            job = job with { Partition = string.Join(",", ModelPartitioner.ResolveSizes(job)) };
        }

        var jobId = $"job-{Guid.NewGuid():N}"[..16];
        if (job.CheckpointEvery != null)
        {
            // Workers write their shards here: the run directory must be on storage every worker node reaches.
            job = job with { CheckpointDirectory = Path.Combine(run.Path, "checkpoints") };
        }

        (string Directory, long Step)? resume = null;
        if (options.ResumeDirectory is { } resumeDirectory)
        {
            try
            {
                resume = ResumePoint.Find(resumeDirectory, job, skipped => output.WriteLine($"[distgrad] {skipped}"));
            }
            catch (ArgumentException e)
            {
                return JobOutcome.Failed(e.Message, 0, 0);
            }
        }

        var system = ActorSystem.Create(
            ClusterConfig.SystemName,
            ClusterConfig.For(ClusterConfig.CoordinatorRole, options.Hostname, options.Port, options.UseCluster ? options.SeedNodes : []));
        LocalCluster? local = null;
        try
        {
            var cluster = Cluster.Get(system);
            WorkerPlacement.StartRegion(system, DeviceSlots.None, System.Net.IPAddress.Loopback);
            if (!options.UseCluster)
            {
                cluster.Join(cluster.SelfAddress);
                var slotsPerNode = (job.WorldSize + options.LocalNodes - 1) / options.LocalNodes;
                local = LocalCluster.Start(options.LocalNodes, slotsPerNode, cluster.SelfAddress, options.Devices);
                watcher?.Attach(local);
            }

            var completion = new TaskCompletionSource<JobOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
            var settings = new CoordinatorSettings(options.WorkerWaitTimeout, run.FinalParameters, resume);
            var coordinator = system.ActorOf(CoordinatorActor.Props(jobId, job, settings, watcher == null ? new ObserverGroup(progress, run) : new ObserverGroup(progress, run, watcher), completion), "coordinator");

            // SIGTERM or Ctrl+C abort the job: workers are told to stop, the run directory keeps what was written.
            void Abort(PosixSignalContext context)
            {
                context.Cancel = true;
                coordinator.Tell(new CoordinatorActor.Abort($"stopped by {context.Signal}"));
            }

            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Abort);
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Abort);
            var outcome = await completion.Task.ConfigureAwait(false);
            if (outcome.Succeeded)
            {
                run.WriteSummary(outcome, job, wall.Elapsed.TotalSeconds);
                progress.Summary(outcome, run.Path, wall.Elapsed.TotalSeconds);
            }

            return outcome;
        }
        finally
        {
            // Workers leave first and the coordinator's node stops before theirs, so no node sees another vanish.
            if (local != null)
            {
                await local.LeaveAsync().ConfigureAwait(false);
            }

            await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClusterLeavingReason.Instance).ConfigureAwait(false);
            if (local != null)
            {
                await local.DisposeAsync().ConfigureAwait(false);
            }
            foreach (var provider in telemetry)
            {
                provider.Dispose();
            }
        }
    }
}
