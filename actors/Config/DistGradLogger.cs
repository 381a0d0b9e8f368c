using Akka.Actor;
using Akka.Cluster;
using Akka.Event;

namespace DistGrad.Actors.Config;

/// <summary>
/// Akka's log as one line per event on stderr, without stack traces, and without the association
/// noise a node makes while it or its peers leave the cluster at the end of a job (Akka logs a peer's
/// orderly exit as a disassociation error; DistGrad reports real failures itself, naming the worker).
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

    private bool IsShutdownNoise(LogEvent e)
    {
        var text = e.Message?.ToString() ?? string.Empty;
        var disassociated = e is Error { Cause: { } cause } && cause.GetType().Name is "EndpointDisassociatedException" or "ShutDownAssociation";
        var association = disassociated
            || text.Contains("Disassociated", StringComparison.Ordinal)
            || text.Contains("Association with remote system", StringComparison.Ordinal);
        if (!association)
        {
            return false;
        }

        if (CoordinatedShutdown.Get(Context.System).ShutdownReason != null)
        {
            return true;
        }

        var status = Cluster.Get(Context.System).SelfMember.Status;
        return status is MemberStatus.Leaving or MemberStatus.Exiting or MemberStatus.Removed or MemberStatus.Down
            || disassociated;
    }
}
