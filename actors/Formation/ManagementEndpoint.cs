using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Http.Dsl;
using Akka.Management.Dsl;
using Ceen.Httpd;

namespace DistGrad.Distributed.Formation;

/// <summary>
/// Serves Akka.Management's routes — Cluster Bootstrap's contact point (<c>/bootstrap/seed-nodes</c>), the remote
/// address, and <see cref="HealthRoutes"/> — on this node's management port.
/// </summary>
/// <remarks>
/// Akka.Management's own <c>Start()</c> cannot run here: Akka.Http.Shim 1.5.73 was built against Ceen.Httpd 0.9.9,
/// only 0.9.10 is served, and 0.9.10 changed <c>HttpServer.ListenAsync</c>'s endpoint parameter from
/// <c>IPEndPoint</c> to <c>EndPoint</c> (a MissingMethodException at start). So the same routes, taken from
/// <c>AkkaManagement.Routes()</c> (which also gives Cluster Bootstrap its own contact point), run through the shim's
/// public router on Ceen's request bridge, and this class owns the listening socket. That also fixes a restart:
/// Ceen's own listener does not set SO_REUSEADDR, so a node restarted within a minute of answering probes could not
/// bind its port again (the probes' connections linger in TIME_WAIT on it).
/// </remarks>
internal sealed class ManagementEndpoint
{
    private const int Backlog = 64;
    private readonly Socket _listener;
    private readonly HttpServer.InterProcessBridge _bridge;
    private readonly CancellationTokenSource _stop = new();
    private long _connections;

    private ManagementEndpoint(Socket listener, HttpServer.InterProcessBridge bridge)
    {
        _listener = listener;
        _bridge = bridge;
    }

    public static Task StartAsync(ActorSystem system, NodeNetwork network)
    {
        var bind = HostAddress.Resolve(network.BindHostname ?? network.Hostname, network.BindHostname != null ? "--bind-hostname" : "--hostname");
        var endpoint = new IPEndPoint(bind, network.ManagementPort);
        var listener = new Socket(bind.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Bind(endpoint);
            listener.Listen(Backlog);
        }
        catch (SocketException e)
        {
            listener.Dispose();
            throw new IOException($"cannot serve Akka.Management on {endpoint}: {e.Message}", e);
        }

        var routes = AkkaManagement.Get(system).Routes();
        var bridge = HttpServer.CreateInterProcessBridge(false, new ServerConfig { Router = new AkkaRouter(system, routes) });
        var server = new ManagementEndpoint(listener, bridge);
        var accepting = server.AcceptAsync();
        CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseServiceUnbind, "distgrad-management-endpoint", async () =>
        {
            await server._stop.CancelAsync().ConfigureAwait(false);
            listener.Dispose();
            bridge.Stop();
            await Task.WhenAny(accepting, Task.Delay(TimeSpan.FromSeconds(2))).ConfigureAwait(false);
            return Akka.Done.Instance;
        });
        return Task.CompletedTask;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(Socket client)
    {
        var id = Interlocked.Increment(ref _connections).ToString(System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            await using var stream = new NetworkStream(client, ownsSocket: true);
            await _bridge.HandleRequestAsync(stream, client.RemoteEndPoint ?? new IPEndPoint(IPAddress.None, 0), id, () => client.Connected).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            // A client that hung up mid-request: nothing to answer.
        }
    }
}
