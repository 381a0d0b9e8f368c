namespace DistGrad.Distributed.DataPlane;

/// <summary>One posted receive: where the bytes go and how the waiter learns that they arrived.</summary>
/// <remarks>
/// The state moves Waiting → Claimed (a producer started writing) → Done, or to Abandoned when the waiter
/// gave up (timeout, cancellation). A producer writes only under this object's lock and only while the state
/// is Claimed, so once <see cref="TryAbandonClaimed"/> returns the caller's memory is never touched again.
/// </remarks>
internal sealed class PendingReceive(long tag, Memory<byte> destination) : ITagQueueItem<PendingReceive>
{
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public enum State { Waiting, Claimed, Done, Abandoned }

    public long Tag { get; } = tag;

    public Memory<byte> Destination { get; } = destination;

    /// <summary>Next receive posted for the same tag (receives of one tag are served first come, first served).</summary>
    public PendingReceive? Next { get; set; }

    /// <summary>Changed under the owning inbox's lock (Waiting → Claimed/Abandoned) or under this object's lock.</summary>
    public State Current { get; set; }

    public Task Completion => _completion.Task;

    /// <summary>Copies a slice of the message into the destination, unless the waiter has gone.</summary>
    public void Write(int offset, ReadOnlySpan<byte> bytes)
    {
        lock (_gate)
        {
            if (Current == State.Claimed)
            {
                bytes.CopyTo(Destination.Span[offset..]);
            }
        }
    }

    public void Succeed()
    {
        lock (_gate)
        {
            if (Current != State.Claimed)
            {
                return;
            }

            Current = State.Done;
        }

        _completion.TrySetResult();
    }

    public void Fail(Exception error)
    {
        lock (_gate)
        {
            if (Current is State.Done or State.Abandoned)
            {
                return;
            }

            Current = State.Done;
        }

        _completion.TrySetException(error);
    }

    /// <summary>Stops a producer that is streaming into the destination; false when the bytes already all arrived.</summary>
    public bool TryAbandonClaimed()
    {
        lock (_gate)
        {
            if (Current != State.Claimed)
            {
                return false;
            }

            Current = State.Abandoned;
            return true;
        }
    }
}
