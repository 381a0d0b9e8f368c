using DistGrad.Distributed.DataPlane;

namespace DistGrad.Distributed.Collectives;

/// <summary>
/// One running collective: its tags, its deadline, its byte counts, and the rule that when one of its
/// concurrent parts fails, the others stop at once (no part waits out the timeout for a dead partner).
/// </summary>
internal sealed class CollectiveCall : IDisposable
{
    private readonly Communicator _communicator;
    private readonly CancellationToken _callerToken;
    private readonly CancellationTokenSource _deadline;
    private readonly CancellationTokenSource _stop;

    public CollectiveCall(Communicator communicator, string operation, long sequence, CancellationToken cancellationToken)
    {
        _communicator = communicator;
        Operation = operation;
        Sequence = sequence;
        _callerToken = cancellationToken;
        _deadline = new CancellationTokenSource();
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _deadline.Token);
        if (communicator.Timeout != Timeout.InfiniteTimeSpan)
        {
            _deadline.CancelAfter(communicator.Timeout);
        }
    }

    public string Operation { get; }

    public long Sequence { get; }

    public CancellationToken Token => _stop.Token;

    public int Position => _communicator.Position;

    public int GroupSize => _communicator.Group.Count;

    public int Rank => _communicator.Transport.Rank;

    public int Member(int position) => _communicator.Group[((position % GroupSize) + GroupSize) % GroupSize];

    // The deadline has a source of its own so that a part aborting the rest (the first to notice the
    // deadline, say) can never hide that the deadline is what stopped them.
    private bool TimedOut => _deadline.IsCancellationRequested && !_callerToken.IsCancellationRequested;

    public long Tag(int index) => CollectiveTags.Make(_communicator.Channel, Sequence, index);

    public async ValueTask SendAsync(int peer, int index, ReadOnlyMemory<byte> payload)
    {
        long tag = Tag(index);
        try
        {
            await _communicator.Transport.SendAsync(peer, tag, payload, Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (TimedOut)
        {
            throw new TimeoutException($"rank {Rank} waited {Seconds} s sending tag {tag} to rank {peer} ({Describe()})");
        }

        _communicator.CountSent(payload.Length);
    }

    public async ValueTask ReceiveAsync(int peer, int index, Memory<byte> destination)
    {
        long tag = Tag(index);
        try
        {
            await _communicator.Transport.ReceiveAsync(peer, tag, destination, Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (TimedOut)
        {
            throw new TimeoutException($"rank {Rank} waited {Seconds} s for tag {tag} from rank {peer} ({Describe()})");
        }

        _communicator.CountReceived(destination.Length);
    }

    /// <summary>Runs the parts concurrently; the first failure cancels the rest and is the one reported.</summary>
    public async Task RunAsync(params Func<Task>[] parts)
    {
        var tasks = new Task[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            tasks[i] = Guard(parts[i]);
        }

        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch
        {
            var first = tasks.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException!)
                .OrderBy(e => e is OperationCanceledException ? 1 : 0)
                .FirstOrDefault();
            if (first is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
            }

            // Every part was cancelled: by the deadline (say so, naming the collective) or by the caller.
            if (TimedOut)
            {
                throw new TimeoutException($"rank {Rank} waited {Seconds} s in {Describe()}");
            }

            throw;
        }
    }

    /// <summary>Cancels every transfer of this collective still in flight.</summary>
    public void Abort()
    {
        _stop.Cancel();
    }

    public void Dispose()
    {
        _stop.Dispose();
        _deadline.Dispose();
    }

    private async Task Guard(Func<Task> part)
    {
        try
        {
            await part().ConfigureAwait(false);
        }
        catch
        {
            Abort();
            throw;
        }
    }

    private string Seconds => TransportErrors.Seconds(_communicator.Timeout);

    private string Describe() => $"{Operation} #{Sequence} in group [{string.Join(", ", _communicator.Group)}]";
}
