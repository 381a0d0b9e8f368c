using Akka.Actor;
using Akka.Cluster;
using DistGrad.Distributed.Workers;

namespace DistGrad.NodeHost;

/// <summary>Runs a worker node until SIGTERM/Ctrl+C (leaving the cluster gracefully) or until the cluster downs it.</summary>
public static class NodeHostRunner
{
    public static async Task<int> RunAsync(NodeHostOptions options, TextWriter output)
    {
        var telemetry = DistGrad.Distributed.Telemetry.TelemetrySetup.Start(options.Telemetry, options.OtlpEndpoint);
        try
        {
            return await RunNodeAsync(options, output).ConfigureAwait(false);
        }
        finally
        {
            foreach (var provider in telemetry)
            {
                provider.Dispose();
            }
        }
    }

    private static async Task<int> RunNodeAsync(NodeHostOptions options, TextWriter output)
    {
        WorkerNode node;
        try
        {
            node = WorkerNode.Start(options.Hostname, options.Port, options.SeedNodes, options.Slots, options.Devices);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or Akka.Remote.RemoteTransportException or ArgumentException)
        {
            Console.Error.WriteLine($"node-host: cannot start on {options.Hostname}:{options.Port}: {e.Message}");
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

        Cluster.Get(node.System).RegisterOnMemberUp(() => output.WriteLine($"node-host: joined as {node.Address} with {options.Slots} worker slot(s) ({options.Devices})"));
        await Task.WhenAny(stop.Task, node.System.WhenTerminated).ConfigureAwait(false);
        if (stop.Task.IsCompleted)
        {
            output.WriteLine("node-host: leaving the cluster");
            await node.DisposeAsync().ConfigureAwait(false);
            output.WriteLine("node-host: left the cluster");
            return 0;
        }

        if (CoordinatedShutdown.Get(node.System).ShutdownReason is CoordinatedShutdown.ClusterDowningReason)
        {
            Console.Error.WriteLine($"node-host: the cluster downed this node ({node.Address}): it was unreachable for too long");
            return 1;
        }

        return 0;
    }
}
