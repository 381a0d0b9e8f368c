using System.Net;
using Akka.Actor;
using Akka.Http.Dsl;
using Akka.Management.Dsl;
using Ceen.Httpd;
using DistGrad.Distributed.Workers;

namespace DistGrad.Distributed.Formation;

/// <summary>
/// Serves Akka.Management's routes — Cluster Bootstrap's contact point (<c>/bootstrap/seed-nodes</c>), the remote
/// address, and <see cref="HealthRoutes"/> — on this node's management port.
/// </summary>
/// <remarks>
/// Akka.Management's own <c>Start()</c> cannot run here: Akka.Http.Shim 1.5.73 was built against Ceen.Httpd 0.9.9,
/// only 0.9.10 is served, and 0.9.10 changed <c>HttpServer.ListenAsync</c>'s endpoint parameter from
/// <c>IPEndPoint</c> to <c>EndPoint</c> (a MissingMethodException at start). So the same routes, taken from
/// <c>AkkaManagement.Routes()</c> (which also gives Cluster Bootstrap its own contact point), are served through the
/// shim's public router on Ceen 0.9.10's listener.
/// </remarks>
internal static class ManagementEndpoint
{
    private static readonly TimeSpan BindCheck = TimeSpan.FromMilliseconds(200);

    public static async Task StartAsync(ActorSystem system, NodeNetwork network)
    {
        var bind = DataPlaneAddress.Resolve(network.BindHostname ?? network.Hostname, network.BindHostname != null ? "--bind-hostname" : "--hostname");
        var endpoint = new IPEndPoint(bind, network.ManagementPort);
        var routes = AkkaManagement.Get(system).Routes();
        var config = new ServerConfig { Router = new AkkaRouter(system, routes) };
        var stop = new CancellationTokenSource();
        var serving = HttpServer.ListenAsync(endpoint, false, config, stop.Token);

        // The listener binds first thing; a port already taken fails the task at once.
        if (await Task.WhenAny(serving, Task.Delay(BindCheck)).ConfigureAwait(false) == serving)
        {
            stop.Dispose();
            await serving.ConfigureAwait(false);
            throw new IOException($"the management endpoint on {endpoint} stopped as it started");
        }

        CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseServiceUnbind, "distgrad-management-endpoint", async () =>
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAny(serving, Task.Delay(TimeSpan.FromSeconds(2))).ConfigureAwait(false);
            stop.Dispose();
            return Akka.Done.Instance;
        });
    }
}
