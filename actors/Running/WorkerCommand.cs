using Akka.Actor;
using Akka.Cluster;
using DistGrad.Distributed.Cli;
using DistGrad.Distributed.Nodes;

namespace DistGrad.Distributed.Running;

/// <summary>
/// <c>worker</c> (and node-host): runs a worker node for a program's jobs until SIGTERM/Ctrl+C (leaving the
/// cluster gracefully) or until the cluster downs it.
/// </summary>
public static class WorkerCommand
{
    /// <summary>Runs the node; returns the exit code (0 after a graceful stop).</summary>
    public static async Task<int> RunAsync(JobCatalog jobs, WorkerOptions options, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentNullException.ThrowIfNull(options);
        var telemetry = Telemetry.TelemetrySetup.Start(options.Telemetry, options.OtlpEndpoint);
        try
        {
            return await RunNodeAsync(jobs, options, output, error).ConfigureAwait(false);
        }
        finally
        {
            foreach (var provider in telemetry)
            {
                provider.Dispose();
            }
        }
    }

    private static async Task<int> RunNodeAsync(JobCatalog jobs, WorkerOptions options, TextWriter output, TextWriter error)
    {
        WorkerNode node;
        try
        {
            node = WorkerNode.Start(options.Hostname, options.Port, options.SeedNodes, options.Slots, options.Devices, jobs, options.AkkaOverrides);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or Akka.Remote.RemoteTransportException or ArgumentException)
        {
            error.WriteLine($"worker: cannot start on {options.Hostname}:{options.Port}: {e.Message}");
            return 1;
        }

        // SIGTERM (a supervisor's stop) and SIGINT (Ctrl+C) both leave the cluster gracefully.
        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Stop(System.Runtime.InteropServices.PosixSignalContext context)
        {
            context.Cancel = true;
            stop.TrySetResult();
        }

        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, Stop);
        using var sigint = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, Stop);

        Cluster.Get(node.System).RegisterOnMemberUp(() => output.WriteLine($"worker: joined as {node.Address} with {options.Slots} worker slot(s) ({options.Devices}) for job(s) {string.Join(", ", jobs.Names)}"));
        await Task.WhenAny(stop.Task, node.System.WhenTerminated).ConfigureAwait(false);
        if (stop.Task.IsCompleted)
        {
            output.WriteLine("worker: leaving the cluster");
            await node.DisposeAsync().ConfigureAwait(false);
            output.WriteLine("worker: left the cluster");
            return 0;
        }

        if (CoordinatedShutdown.Get(node.System).ShutdownReason is CoordinatedShutdown.ClusterDowningReason)
        {
            error.WriteLine($"worker: the cluster downed this node ({node.Address}): it was unreachable for too long");
            return 1;
        }

        return 0;
    }
}
