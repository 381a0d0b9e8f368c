using Akka.Actor;
using Akka.Event;

namespace DistGrad.Distributed.Config;

/// <summary>
/// Akka's log as one line per event on stderr, without stack traces, and without association noise
/// (Akka logs a peer's orderly exit as a disassociation error; DistGrad reports real failures itself,
/// naming the worker and what was awaited).
/// </summary>
public sealed class DistGradLogger : ReceiveActor
{
    public DistGradLogger()
    {
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        Receive<LogEvent>(Write);
    }

    private void Write(LogEvent e)
    {
        if (IsShutdownNoise(e))
        {
            return;
        }

        var cause = e is Error { Cause: { } c } ? $" ({c.GetType().Name}: {c.Message})" : string.Empty;
        Console.Error.WriteLine($"[akka {e.LogLevel().ToString().Replace("Level", string.Empty, StringComparison.Ordinal).ToUpperInvariant()}] {e.LogSource}: {e.Message}{cause}");
    }

    /// <summary>
    /// Association events: a peer that is unreachable, refused or gone. At the end of a job they are the
    /// orderly exit of the other nodes; during a job the coordinator's own error names the worker and
    /// what it awaited, which says more than Akka's transport-level line.
    /// </summary>
    /// <remarks>
    /// Also a worker shard that found no free slot yet (SlotAllocationStrategy): sharding asks again every
    /// second, and the coordinator's own phase line says it waits for worker slots. And Cluster Bootstrap probing a
    /// contact point that is not up yet: nodes of a job start in any order, and a join that times out says which
    /// contact points answered (ClusterJoin).
    /// </remarks>
    private static bool IsShutdownNoise(LogEvent e)
    {
        var text = e.Message?.ToString() ?? string.Empty;
        return e is Error { Cause: { } cause } && cause.GetType().Name is "EndpointDisassociatedException" or "ShutDownAssociation" or "InvalidAssociation"
            || (e is Error { Cause: { } noSlot } && noSlot.Message.Contains(Placement.SlotAllocationStrategy.NoSlotMessage, StringComparison.Ordinal))
            || (e is Error { Cause: { } dropped } && dropped.Message.StartsWith(Placement.SlotAllocationStrategy.DroppedMessage, StringComparison.Ordinal))
            || (e.LogSource?.Contains("/system/bootstrapCoordinator/contactPointProbe", StringComparison.Ordinal) == true && e is Warning or Error)
            || text.Contains("Disassociated", StringComparison.Ordinal)
            || text.Contains("Association with remote system", StringComparison.Ordinal)
            || text.Contains("Tried to associate with unreachable remote address", StringComparison.Ordinal)
            || text.Contains("from connection group. May not shut down cleanly", StringComparison.Ordinal);
    }
}
