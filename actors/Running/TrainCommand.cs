using System.Diagnostics;
using System.Runtime.InteropServices;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Tools.Singleton;
using DistGrad.Distributed.Checkpoints;
using DistGrad.Distributed.Config;
using DistGrad.Distributed.Formation;
using DistGrad.Distributed.Workers;
using DistGrad.Distributed.Pipeline;
using DistGrad.Distributed.Placement;
using DistGrad.Distributed.Security;
using DistGrad.Distributed.Telemetry;
using DistGrad.Distributed.Cli;
using DistGrad.Distributed.Coordination;

namespace DistGrad.Distributed.Running;

/// <summary>
/// <c>coordinator train</c>: starts the coordinator's node (and the embedded worker nodes unless
/// --cluster), runs the job, writes the run directory and prints a summary.
/// </summary>
public static class TrainCommand
{
    /// <summary>
    /// Runs the job of <paramref name="jobs"/> that the options name; returns its outcome (the caller turns a
    /// failure into exit code 1). The embedded cluster's workers run the same <paramref name="jobs"/>.
    /// <paramref name="watcher"/> sees the embedded cluster and then every event of the job (tests use it to
    /// stop a node mid-run).
    /// </summary>
    public static async Task<JobOutcome> RunAsync(JobCatalog jobs, TrainOptions options, TextWriter output, bool interactive, IClusterWatcher? watcher = null)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        var wall = Stopwatch.StartNew();
        if (jobs.Find(options.Spec.Job) is not { } trainingJob)
        {
            return JobOutcome.Failed($"--job '{options.Spec.Job}' is not a job of this program (jobs: {(jobs.Names.Count == 0 ? "none" : string.Join(", ", jobs.Names))})", 0, 0);
        }

        var job = options.Spec;
        JobFingerprint fingerprint;
        try
        {
            JobSpecValidation.ThrowIfInvalid(trainingJob, job);
            if (job.PipelineStages > 1)
            {
                // The cut is decided once, here, and sent to every worker as layer counts (a profile measured on
                // each worker would differ).
                job = job with { Partition = string.Join(",", ModelPartitioner.ResolveSizes(trainingJob, job)) };
            }

            fingerprint = JobFingerprint.Of(trainingJob, job);
        }
        catch (ArgumentException e)
        {
            return JobOutcome.Failed(e.Message, 0, 0);
        }

        RunDirectory run;
        var runPath = options.OutputDirectory ?? RunDirectory.DefaultPath(DateTime.UtcNow);
        try
        {
            // A resumed job and a standby continue the run directory's files instead of starting them afresh.
            run = new RunDirectory(runPath, append: options.ResumeDirectory != null || options.Standby);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return JobOutcome.Failed($"cannot write the run directory {Path.GetFullPath(runPath)}: {e.Message}", 0, 0);
        }

        using var runDirectory = run;
        var telemetry = TelemetrySetup.Start(options.Telemetry, options.OtlpEndpoint);
        using var progress = new ProgressDisplay(output, interactive);

        var jobId = $"job-{Guid.NewGuid():N}"[..16];
        // Workers write their shards here (every --checkpoint-every steps, or on SIGHUP): the run directory
        // must be on storage every worker node reaches, which each worker proves by reading the probe back.
        string probe;
        try
        {
            probe = RunDirectoryProbe.Write(run.Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return JobOutcome.Failed($"cannot write the run directory {run.Path}: {e.Message}", 0, 0);
        }

        using var removeProbe = new ProbeRemoval(probe);
        job = job with { CheckpointDirectory = Path.Combine(run.Path, "checkpoints"), RunDirectoryProbe = probe };

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

        // Every coordinator process of this job (the one that runs it and any --standby) shares a role named
        // after the run directory: the job's coordinator is a cluster singleton among them.
        var jobRole = JobRole(run.Path);
        var network = options.UseCluster ? options.Network : new NodeNetwork { Hostname = options.Network.Hostname, Port = options.Network.Port };
        // A real cluster runs on the certificates the user gave (or --insecure); the embedded one makes its own, so the
        // same TLS code path runs everywhere.
        NodeCertificates? tls;
        try
        {
            tls = options.UseCluster ? options.Tls.Load(Environment.GetEnvironmentVariable) : NodeCertificates.Ephemeral();
        }
        catch (CertificateProblemException e)
        {
            return JobOutcome.Failed(e.Message, 0, 0);
        }

        if (tls is null)
        {
            progress.OnPhase("warning: --insecure: Akka.Remote and the tensor transport run without TLS; anyone who reaches this node's ports can join the cluster or feed it tensors");
        }

        ActorSystem system;
        try
        {
            system = NodeSystem.Create(ClusterConfig.For(ClusterConfig.CoordinatorRole, network, [jobRole], options.AkkaOverrides, secure: tls != null), tls);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return JobOutcome.Failed($"cannot start the coordinator's node on {network.BindHostname ?? network.Hostname}:{network.BindPort ?? network.Port}: {(e.InnerException ?? e).Message}", 0, 0);
        }

        LocalCluster? local = null;
        try
        {
            var cluster = Cluster.Get(system);
            WorkerPlacement.StartRegion(system, DeviceSlots.None, DataPlaneAddress.Loopback, jobs);
            if (options.UseCluster)
            {
                try
                {
                    await ClusterJoin.StartAsync(system, network).ConfigureAwait(false);
                }
                catch (IOException e)
                {
                    return JobOutcome.Failed(e.Message, 0, 0);
                }
            }
            if (!options.UseCluster)
            {
                cluster.Join(cluster.SelfAddress);
                var slotsPerNode = (job.WorldSize + options.LocalNodes - 1) / options.LocalNodes;
                local = LocalCluster.Start(options.LocalNodes, slotsPerNode, cluster.SelfAddress, options.Devices, jobs, options.AkkaOverrides, tls);
                watcher?.Attach(local);
            }

            var completion = new TaskCompletionSource<JobOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
            var settings = new CoordinatorSettings(options.WorkerWaitTimeout, run.FinalParameters, resume)
            {
                TakeOverCheckpoints = options.Standby && job.CheckpointEvery != null ? job.CheckpointDirectory : null,
                JobRole = jobRole,
                Fingerprint = fingerprint,
            };
            var callbacks = new JobCallbacks(trainingJob);
            var observer = watcher == null ? new ObserverGroup(progress, run, callbacks) : new ObserverGroup(progress, run, callbacks, watcher);
            // The coordinator runs on the oldest node with the job's role: this process, unless it is a standby
            // whose first coordinator still lives; when that one's node is lost, the standby's starts here.
            var manager = system.ActorOf(
                ClusterSingletonManager.Props(
                    CoordinatorActor.Props(jobId, job, settings, observer, completion),
                    PoisonPill.Instance,
                    ClusterSingletonManagerSettings.Create(system).WithRole(jobRole).WithSingletonName(CoordinatorName)),
                CoordinatorManagerName);
            system.ActorOf(JobWatchActor.Props(completion, manager), JobWatchActor.Name);
            if (options.Standby)
            {
                progress.OnPhase("standing by: this coordinator takes over the job if its coordinator's node is lost");
            }

            if (options.UseCluster)
            {
                _ = FailIfNotJoined(system, network, completion);
            }

            // SIGTERM (Kubernetes evicting the pod, a drain, systemd) stops the job after a checkpoint, within the
            // grace period, so `train --resume` continues it; a second SIGTERM, or Ctrl+C, aborts at once. Workers are
            // told to stop and the run directory keeps what was written. A standby that is not running the job just stops.
            void Stop(PosixSignalContext context)
            {
                context.Cancel = true;
                var reason = $"stopped by {context.Signal}";
                object message = context.Signal == PosixSignal.SIGTERM ? new CoordinatorActor.StopAfterCheckpoint(reason) : new CoordinatorActor.Abort(reason);
                system.ActorSelection($"/user/{CoordinatorManagerName}/{CoordinatorName}")
                    .Ask<ActorIdentity>(new Identify(null), TimeSpan.FromSeconds(2))
                    .ContinueWith(
                        identity =>
                        {
                            if (identity.IsCompletedSuccessfully && identity.Result.Subject is { } coordinator)
                            {
                                coordinator.Tell(message);
                            }
                            else
                            {
                                completion.TrySetResult(JobOutcome.Failed($"{reason} (a standby; the job goes on at its coordinator)", 0, 0) with { RanElsewhere = true });
                            }
                        },
                        TaskScheduler.Default);
            }

            // SIGHUP: a checkpoint after the next step, on demand.
            void CheckpointOnDemand(PosixSignalContext context)
            {
                context.Cancel = true;
                system.ActorSelection($"/user/{CoordinatorManagerName}/{CoordinatorName}").Tell(CoordinatorActor.CheckpointNow.Instance);
            }

            using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, CheckpointOnDemand);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            var outcome = await completion.Task.ConfigureAwait(false);
            if (outcome.RanElsewhere)
            {
                // The run directory's summary is its coordinator's to write.
                progress.OnPhase(outcome.Succeeded ? "the job finished on its coordinator" : outcome.Error ?? "the job ended on its coordinator");
            }
            else
            {
                // A failed job writes its summary too, with the reason, so the run directory says how it ended.
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

    private const string CoordinatorManagerName = "job";
    private const string CoordinatorName = "coordinator";

    /// <summary>The cluster role of the coordinator processes of the job writing to <paramref name="runDirectory"/>.</summary>
    private static string JobRole(string runDirectory) =>
        "job-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(runDirectory)))[..12];

    /// <summary>A node that cannot join fails the job in time, saying what its discovery found.</summary>
    private static async Task FailIfNotJoined(ActorSystem system, NodeNetwork network, TaskCompletionSource<JobOutcome> completion)
    {
        if (await ClusterJoin.WaitUntilUpAsync(system, network).ConfigureAwait(false) is { } problem)
        {
            completion.TrySetResult(JobOutcome.Failed(problem, 0, 0));
        }
    }

    /// <summary>Removes the run directory's probe when the job ends, however it ends.</summary>
    private sealed class ProbeRemoval(string path) : IDisposable
    {
        public void Dispose() => RunDirectoryProbe.Remove(path);
    }
}
