using DistGrad.Distributed.Collectives;
using DistGrad.Distributed.DataPlane;
using DistGrad.Distributed.Tests.DataPlane;

namespace DistGrad.Distributed.Tests.Collectives;

/// <summary>One communicator per rank over a fresh transport group, and a way to run the same call on all of them.</summary>
public sealed class CollectiveHarness : IAsyncDisposable
{
    private readonly ITransport[] _transports;

    private CollectiveHarness(ITransport[] transports, TimeSpan timeout, IReadOnlyList<int>? group)
    {
        _transports = transports;
        var members = group ?? Enumerable.Range(0, transports.Length).ToArray();
        Communicators = members.Select(rank => new Communicator(transports[rank], members, timeout)).ToArray();
    }

    /// <summary>Indexed by position in the group.</summary>
    public Communicator[] Communicators { get; }

    public ITransport[] Transports => _transports;

    public static async Task<CollectiveHarness> CreateAsync(TransportGroups.Kind kind, int worldSize, IReadOnlyList<int>? group = null, TimeSpan? timeout = null)
    {
        var t = timeout ?? TransportGroups.TestTimeout;
        return new CollectiveHarness(await TransportGroups.CreateAsync(kind, worldSize, t), t, group);
    }

    /// <summary>Runs <paramref name="body"/> for every member concurrently, each on its own thread-pool task.</summary>
    public Task RunAsync(Func<Communicator, int, Task> body) =>
        Task.WhenAll(Communicators.Select((c, position) => Task.Run(() => body(c, position))));

    public async Task<T[]> RunAsync<T>(Func<Communicator, int, Task<T>> body) =>
        await Task.WhenAll(Communicators.Select((c, position) => Task.Run(() => body(c, position))));

    public ValueTask DisposeAsync() => new(TransportGroups.DisposeAllAsync(_transports));
}
