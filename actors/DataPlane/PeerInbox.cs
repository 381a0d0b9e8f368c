namespace DistGrad.Distributed.DataPlane;

/// <summary>
/// Matches the messages one peer sends to this rank with the receives posted for them, by tag.
/// </summary>
/// <remarks>
/// A message whose receive is already posted streams straight into the receiver's memory; one that comes
/// first waits here in a pooled buffer. Both transports (in memory, TCP) feed their bytes through this
/// class, so matching, length checks, timeouts and peer failure behave identically.
/// </remarks>
internal sealed class PeerInbox(int rank, int peer, TimeSpan timeout)
{
    private readonly Lock _gate = new();
    private readonly TagQueue<PendingReceive> _waiting = new();
    private readonly TagQueue<IncomingMessage> _arrived = new();
    private Exception? _closedBecause;

    public int Peer => peer;

    public async ValueTask ReceiveAsync(long tag, Memory<byte> destination, CancellationToken cancellationToken)
    {
        IncomingMessage? arrived;
        PendingReceive? pending = null;
        lock (_gate)
        {
            arrived = _arrived.Dequeue(tag);
            if (arrived is null)
            {
                if (_closedBecause is not null)
                {
                    throw TransportErrors.PeerLost(rank, peer, tag, _closedBecause);
                }

                pending = new PendingReceive(tag, destination);
                _waiting.Enqueue(pending);
            }
        }

        if (arrived is not null)
        {
            try
            {
                if (arrived.Length != destination.Length)
                {
                    throw TransportErrors.LengthMismatch(rank, peer, tag, destination.Length, arrived.Length);
                }

                arrived.Payload.CopyTo(destination.Span);
            }
            finally
            {
                arrived.ReturnBuffer();
            }

            return;
        }

        await WaitAsync(pending!, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Called by the producer when a message header arrives; the bytes follow through <see cref="IncomingMessage.Write"/>.</summary>
    public IncomingMessage Begin(long tag, int length)
    {
        PendingReceive? target;
        lock (_gate)
        {
            target = _waiting.Dequeue(tag);
            if (target is not null)
            {
                target.Current = PendingReceive.State.Claimed;
            }
        }

        if (target is null)
        {
            return IncomingMessage.Buffered(tag, length);
        }

        if (target.Destination.Length != length)
        {
            // The message is consumed by the receive that failed: the sender and receiver disagree on the
            // protocol, and handing the bytes to a later receive would only hide where it went wrong.
            target.Fail(TransportErrors.LengthMismatch(rank, peer, tag, target.Destination.Length, length));
            return IncomingMessage.Discarded(tag, length);
        }

        return IncomingMessage.Into(target, length);
    }

    /// <summary>Called by the producer once all bytes of <paramref name="message"/> arrived.</summary>
    public void Complete(IncomingMessage message)
    {
        if (message.Target is not null)
        {
            message.Target.Succeed();
            return;
        }

        if (message.Buffer is null)
        {
            return;
        }

        PendingReceive? lateReceive;
        lock (_gate)
        {
            // A receive may have been posted while the bytes were streaming into the buffer.
            lateReceive = _waiting.Dequeue(message.Tag);
            if (lateReceive is null)
            {
                _arrived.Enqueue(message);
                return;
            }

            lateReceive.Current = PendingReceive.State.Claimed;
        }

        if (lateReceive.Destination.Length != message.Length)
        {
            lateReceive.Fail(TransportErrors.LengthMismatch(rank, peer, message.Tag, lateReceive.Destination.Length, message.Length));
        }
        else
        {
            lateReceive.Write(0, message.Payload);
            lateReceive.Succeed();
        }

        message.ReturnBuffer();
    }

    /// <summary>One whole message at once (the in-memory transport).</summary>
    public void Deliver(long tag, ReadOnlySpan<byte> payload)
    {
        var message = Begin(tag, payload.Length);
        message.Write(payload);
        Complete(message);
    }

    /// <summary>
    /// The peer is gone: every waiting receive, the one being filled (<paramref name="inFlight"/>) and every
    /// later receive fail with <paramref name="reason"/>; messages that already arrived can still be received.
    /// </summary>
    public void Close(Exception reason, IncomingMessage? inFlight = null)
    {
        List<PendingReceive> failed = [];
        lock (_gate)
        {
            _closedBecause ??= reason;
            failed.AddRange(_waiting.Drain());
        }

        if (inFlight?.Target is { } target)
        {
            failed.Add(target);
        }

        inFlight?.ReturnBuffer();
        foreach (var p in failed)
        {
            p.Fail(TransportErrors.PeerLost(rank, peer, p.Tag, reason));
        }
    }

    /// <summary>Returns the buffers of messages nobody received (the transport is being disposed).</summary>
    public void ReleaseArrived()
    {
        List<IncomingMessage> unread;
        lock (_gate)
        {
            unread = _arrived.Drain();
        }

        foreach (var m in unread)
        {
            m.ReturnBuffer();
        }
    }

    private async ValueTask WaitAsync(PendingReceive pending, CancellationToken cancellationToken)
    {
        try
        {
            await pending.Completion.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException) when (TryAbandon(pending))
        {
            throw TransportErrors.ReceiveTimeout(rank, peer, pending.Tag, timeout);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && TryAbandon(pending))
        {
            throw;
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            // The bytes all arrived while the wait was giving up: the receive succeeded after all.
            await pending.Completion.ConfigureAwait(false);
        }
    }

    private bool TryAbandon(PendingReceive pending)
    {
        lock (_gate)
        {
            if (pending.Current == PendingReceive.State.Waiting)
            {
                _waiting.Remove(pending);
                pending.Current = PendingReceive.State.Abandoned;
                return true;
            }
        }

        return pending.TryAbandonClaimed();
    }
}
