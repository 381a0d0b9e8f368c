using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using DistGrad.Distributed.Security;

namespace DistGrad.Distributed.DataPlane;

/// <summary>
/// A bound, listening socket waiting for the rest of the job; <see cref="ConnectAsync"/> turns it into a
/// <see cref="TcpTransport"/> once every rank's endpoint is known. Used once.
/// </summary>
public sealed class TcpTransportListener : IAsyncDisposable
{
    private static readonly TimeSpan ConnectRetryDelay = TimeSpan.FromMilliseconds(50);
    private readonly Socket _listener;

    internal TcpTransportListener(IPAddress bindAddress, int port)
    {
        _listener = new Socket(bindAddress.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // Accepted sockets inherit the buffer sizes; setting them before listen lets TCP scale its window.
            TcpTransport.Tune(_listener);
            _listener.Bind(new IPEndPoint(bindAddress, port));
            _listener.Listen(128);
            LocalEndpoint = (IPEndPoint)_listener.LocalEndPoint!;
        }
        catch
        {
            _listener.Dispose();
            throw;
        }
    }

    /// <summary>Where the other ranks reach this worker (tell the coordinator).</summary>
    public IPEndPoint LocalEndpoint { get; }

    /// <summary>
    /// Builds the job's mesh: this rank connects to every lower rank and accepts every higher one. Each
    /// connection starts with a handshake (job id, world size, both ranks) that the accepting side checks.
    /// </summary>
    /// <param name="rank">This worker's rank.</param>
    /// <param name="endpointsByRank">Every rank's <see cref="LocalEndpoint"/>, indexed by rank (this rank's own entry is not used).</param>
    /// <param name="jobId">Connections from workers of another job are refused.</param>
    /// <param name="timeout">For the whole setup (unless <paramref name="setupTimeout"/> is given), and later for each receive and send of the transport.</param>
    /// <param name="cancellationToken">Aborts the setup.</param>
    /// <param name="setupTimeout">For the setup alone, when it should differ from the transport's per-message deadline.</param>
    /// <exception cref="TimeoutException">Some rank did not connect in time; the message names it and any connection that was refused.</exception>
    /// <exception cref="TransportHandshakeException">A lower rank refused this rank's connection; the message says why.</exception>
    /// <param name="options">The message cap, TLS and where refusals are logged; null: <see cref="TcpTransportOptions.Plain"/>.</param>
    public async Task<ITransport> ConnectAsync(
        int rank, IReadOnlyList<IPEndPoint> endpointsByRank, string jobId, TimeSpan timeout, CancellationToken cancellationToken = default, TimeSpan? setupTimeout = null,
        TcpTransportOptions? options = null)
    {
        options ??= TcpTransportOptions.Plain;
        var setupLimit = setupTimeout ?? timeout;
        int worldSize = endpointsByRank.Count;
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rank, worldSize);
        var links = new PeerLink?[worldSize];
        var rejections = new ConcurrentQueue<string>();
        using var setup = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        setup.CancelAfter(setupLimit);
        try
        {
            var work = new List<Task> { AcceptHigherRanksAsync(rank, worldSize, jobId, links, rejections, options, setup.Token) };
            for (int peer = 0; peer < rank; peer++)
            {
                work.Add(ConnectToLowerRankAsync(rank, peer, endpointsByRank[peer], worldSize, jobId, links, options.Tls, setup.Token));
            }

            await WhenAllOrFirstFailure(work, setup).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            foreach (var link in links)
            {
                link?.Dispose();
            }

            if (e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                var missing = Enumerable.Range(0, worldSize).Where(r => r != rank && links[r] is null).ToList();
                string refused = rejections.IsEmpty ? string.Empty : $"; refused: {string.Join("; ", rejections)}";
                // The addresses are the ones each rank advertised: a wrong one (NAT, a container's own IP) shows here.
                var unreached = missing.Where(r => r < rank).Select(r => $"rank {r} at {endpointsByRank[r]} did not answer").ToList();
                var silent = missing.Where(r => r > rank).ToList();
                if (silent.Count > 0)
                {
                    unreached.Add($"rank(s) {string.Join(", ", silent)} never reached this rank at {endpointsByRank[rank]}");
                }

                throw new TimeoutException(
                    $"rank {rank} of job '{jobId}' waited {TransportErrors.Seconds(setupLimit)} s for rank(s) {string.Join(", ", missing)} to connect ({string.Join("; ", unreached)}){refused}");
            }

            throw;
        }
        finally
        {
            _listener.Dispose();
        }

        var peers = new TcpPeerConnection?[worldSize];
        for (int peer = 0; peer < worldSize; peer++)
        {
            peers[peer] = peer == rank ? null : new TcpPeerConnection(links[peer]!.Socket, links[peer]!.Stream, rank, peer, timeout, options.MaxMessageBytes);
        }

        return new TcpTransport(rank, peers);
    }

    /// <summary>Stops listening (only needed when <see cref="ConnectAsync"/> is never called).</summary>
    public ValueTask DisposeAsync()
    {
        _listener.Dispose();
        return ValueTask.CompletedTask;
    }

    private static async Task WhenAllOrFirstFailure(List<Task> work, CancellationTokenSource setup)
    {
        var remaining = new List<Task>(work);
        while (remaining.Count > 0)
        {
            var done = await Task.WhenAny(remaining).ConfigureAwait(false);
            remaining.Remove(done);
            if (!done.IsCompletedSuccessfully)
            {
                // One refusal or broken connection dooms the mesh: stop the other attempts now instead of at the timeout.
                await setup.CancelAsync().ConfigureAwait(false);
                await Task.WhenAll(remaining).ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
                await done.ConfigureAwait(false);
            }
        }
    }

    private static async Task ConnectToLowerRankAsync(int rank, int peer, IPEndPoint endpoint, int worldSize, string jobId, PeerLink?[] links, NodeCertificates? tls, CancellationToken cancellationToken)
    {
        while (true)
        {
            var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            Stream? stream = null;
            try
            {
                TcpTransport.Tune(socket);
                await socket.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
                stream = await ConnectionSecurity.ConnectAsync(socket, tls, cancellationToken).ConfigureAwait(false);
                await TcpHandshake.SendHelloAsync(stream, new TcpHandshake.Hello(worldSize, rank, peer, jobId), cancellationToken).ConfigureAwait(false);
                if (await TcpHandshake.ReadReplyAsync(stream, cancellationToken).ConfigureAwait(false) is { } refusal)
                {
                    throw new TransportHandshakeException($"rank {peer} at {endpoint} refused rank {rank} of job '{jobId}': {refusal}");
                }

                links[peer] = new PeerLink(socket, stream);
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
            {
                // The peer may not be listening yet; keep trying until the setup timeout.
                socket.Dispose();
                await Task.Delay(ConnectRetryDelay, cancellationToken).ConfigureAwait(false);
            }
            catch (TransportHandshakeException e) when (stream is null)
            {
                socket.Dispose();
                throw new TransportHandshakeException($"rank {rank} of job '{jobId}' could not open a secure connection to rank {peer} at {endpoint}: {e.Message}");
            }
            catch
            {
                if (stream is not null)
                {
                    await stream.DisposeAsync().ConfigureAwait(false);
                }

                socket.Dispose();
                throw;
            }
        }
    }

    private async Task AcceptHigherRanksAsync(int rank, int worldSize, string jobId, PeerLink?[] links, ConcurrentQueue<string> rejections, TcpTransportOptions options, CancellationToken cancellationToken)
    {
        int expected = worldSize - 1 - rank;
        if (expected == 0)
        {
            return;
        }

        var allIn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int connected = 0;
        var gate = new Lock();
        using var stopAccepting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _ = AcceptLoopAsync();
        try
        {
            await allIn.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await stopAccepting.CancelAsync().ConfigureAwait(false);
        }

        async Task AcceptLoopAsync()
        {
            try
            {
                while (true)
                {
                    var socket = await _listener.AcceptAsync(stopAccepting.Token).ConfigureAwait(false);
                    _ = HandshakeAsync(socket);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // Setup finished or gave up; the awaiting side reports which.
            }
        }

        // Each newcomer is checked on its own so that a silent or hostile connection cannot hold up the others.
        async Task HandshakeAsync(Socket socket)
        {
            int claimed = -1;
            string remote = TryRemote(socket);
            Stream? stream = null;
            try
            {
                TcpTransport.Tune(socket);
                stream = await ConnectionSecurity.AcceptAsync(socket, options.Tls, stopAccepting.Token).ConfigureAwait(false);
                var hello = await TcpHandshake.ReadHelloAsync(stream, stopAccepting.Token).ConfigureAwait(false);
                string? refusal = TcpHandshake.Validate(hello, rank, worldSize, jobId);
                var link = new PeerLink(socket, stream);
                lock (gate)
                {
                    if (refusal is null && links[hello.FromRank] is not null)
                    {
                        refusal = $"rank {hello.FromRank} is already connected to rank {rank}";
                    }

                    if (refusal is null)
                    {
                        links[hello.FromRank] = link;
                        claimed = hello.FromRank;
                    }
                }

                await TcpHandshake.SendReplyAsync(stream, refusal, stopAccepting.Token).ConfigureAwait(false);
                if (refusal is not null)
                {
                    Refuse(remote, refusal);
                    link.Dispose();
                    return;
                }

                if (Interlocked.Increment(ref connected) == expected)
                {
                    allIn.TrySetResult();
                }
            }
            catch (Exception e)
            {
                lock (gate)
                {
                    // A peer that vanished before hearing our answer must be able to connect again.
                    if (claimed >= 0 && links[claimed]?.Socket == socket)
                    {
                        links[claimed] = null;
                    }
                }

                if (e is not OperationCanceledException)
                {
                    Refuse(remote, e is EndOfStreamException ? "it closed the connection before finishing the handshake" : e.Message);
                }

                stream?.Dispose();
                socket.Dispose();
            }
        }

        void Refuse(string remote, string why)
        {
            rejections.Enqueue($"{remote}: {why}");
            options.LogRefusal?.Invoke($"data plane of rank {rank} (job '{jobId}') refused a connection from {remote}: {why}");
        }
    }

    private static string TryRemote(Socket socket)
    {
        try
        {
            return socket.RemoteEndPoint?.ToString() ?? "unknown peer";
        }
        catch (ObjectDisposedException)
        {
            return "unknown peer";
        }
    }
}
