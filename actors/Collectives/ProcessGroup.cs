using DistGrad.Distributed.Telemetry;

namespace DistGrad.Distributed.Collectives;

/// <summary>
/// A set of workers that reduce together (the replicas of a shard, or the shards of a replica), with
/// blocking calls for the compute thread. A group of one needs no communicator and every call is a no-op.
/// </summary>
public sealed class ProcessGroup
{
    private readonly Communicator? _communicator;

    public ProcessGroup(string name, IReadOnlyList<int> ranks, Communicator? communicator)
    {
        if (ranks.Count > 1 && communicator == null)
        {
            throw new ArgumentException($"the {name} group has {ranks.Count} members but no communicator");
        }

        Name = name;
        Ranks = ranks;
        _communicator = communicator;
    }

    /// <summary>"data-parallel" or "model": used in stage names and error messages.</summary>
    public string Name { get; }

    /// <summary>Job ranks of the members, in ring order.</summary>
    public IReadOnlyList<int> Ranks { get; }

    public int Size => Ranks.Count;

    /// <summary>Bytes this member has sent in the group's collectives so far.</summary>
    public long BytesSent => _communicator?.BytesSent ?? 0;

    /// <summary>A group holding only <paramref name="rank"/>.</summary>
    public static ProcessGroup Solo(string name, int rank) => new(name, [rank], null);

    /// <summary>Sums <paramref name="data"/> elementwise across the group, in place on every member.</summary>
    public void AllReduceSum(Memory<float> data)
    {
        if (_communicator != null)
        {
            using var span = Span("allreduce", data.Length * sizeof(float));
            _communicator.AllReduceSumAsync(data).GetAwaiter().GetResult();
        }
    }

    /// <summary>Sums or takes the maximum of one value per member; every member gets the same result.</summary>
    public double AllReduceScalar(double value, ReduceOp op)
    {
        if (_communicator == null)
        {
            return value;
        }

        using var span = Span("allreduce-scalar", sizeof(double));
        return _communicator.AllReduceScalarAsync(value, op).GetAwaiter().GetResult();
    }

    /// <summary>Copies <paramref name="data"/> from the member with job rank <paramref name="rootRank"/> to all.</summary>
    public void Broadcast(Memory<float> data, int rootRank)
    {
        if (_communicator != null)
        {
            using var span = Span("broadcast", data.Length * sizeof(float));
            _communicator.BroadcastAsync(data, rootRank).GetAwaiter().GetResult();
        }
    }

    /// <summary>A telemetry span for one collective, tagged with its group and payload size.</summary>
    private System.Diagnostics.Activity? Span(string collective, long bytes)
    {
        var span = DistGradTelemetry.Worker.StartActivity(collective);
        span?.SetTag("distgrad.group", Name);
        span?.SetTag("distgrad.group.size", Size);
        span?.SetTag("distgrad.bytes", bytes);
        return span;
    }
}
