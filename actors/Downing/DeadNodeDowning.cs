using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Akka.Remote;

namespace DistGrad.Distributed.Downing;

/// <summary>
/// Downs a member at once when its process is known to be gone, instead of waiting for the failure detector (about 6 s)
/// and the split-brain resolver (<c>stable-after</c>, 7 s): a coordinator killed with <c>kill -9</c> is replaced by its
/// standby in seconds. When the connection to a member drops (or it becomes unreachable), this node dials the member's
/// remoting port; only a host that twice answers "connection refused" — up, with nothing listening there — has lost the
/// process. A partition makes the dial time out, and then the split-brain resolver decides as before.
/// </summary>
public sealed class DeadNodeDowning : ReceiveActor
{
    public const string Name = "dead-node-downing";

    /// <summary>How long one dial may take before it proves nothing.</summary>
    public static readonly TimeSpan DialTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Between the two dials, so a port that is being re-bound (a node restarting in place) is not taken for dead.</summary>
    public static readonly TimeSpan ConfirmAfter = TimeSpan.FromMilliseconds(300);

    private readonly Cluster _cluster = Cluster.Get(Context.System);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly HashSet<Address> _dialling = [];

    public DeadNodeDowning()
    {
        Receive<DisassociatedEvent>(e => Suspect(e.RemoteAddress));
        Receive<ClusterEvent.UnreachableMember>(e => Suspect(e.Member.Address));
        Receive<DialResult>(OnDialled);
        Receive<ClusterEvent.IMemberEvent>(_ => { });
    }

    public static Props Props() => Akka.Actor.Props.Create(() => new DeadNodeDowning());

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(DisassociatedEvent));
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.UnreachableMember));
    }

    protected override void PostStop()
    {
        Context.System.EventStream.Unsubscribe(Self);
        _cluster.Unsubscribe(Self);
    }

    private void Suspect(Address address)
    {
        if (address.Equals(_cluster.SelfAddress) || address.Host is not { } host || address.Port is not { } port || !IsActive(address) || !_dialling.Add(address))
        {
            return;
        }

        Dial(address, host, port).PipeTo(Self);
    }

    private static async Task<DialResult> Dial(Address address, string host, int port)
    {
        if (!await PortProbe.RefusedAsync(host, port, DialTimeout).ConfigureAwait(false))
        {
            return new DialResult(address, Gone: false);
        }

        await Task.Delay(ConfirmAfter).ConfigureAwait(false);
        return new DialResult(address, await PortProbe.RefusedAsync(host, port, DialTimeout).ConfigureAwait(false));
    }

    private void OnDialled(DialResult result)
    {
        _dialling.Remove(result.Address);
        if (result.Gone && IsActive(result.Address))
        {
            _log.Warning("downing {0}: its process is gone (connection refused on its remoting port, twice)", result.Address);
            _cluster.Down(result.Address);
        }
    }

    /// <summary>A member that is neither leaving nor already down: one whose loss someone has to decide.</summary>
    private bool IsActive(Address address) =>
        _cluster.State.Members.FirstOrDefault(m => m.Address.Equals(address)) is { Status: MemberStatus.Up or MemberStatus.WeaklyUp or MemberStatus.Joining };

    private sealed record DialResult(Address Address, bool Gone);
}
