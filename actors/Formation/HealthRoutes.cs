using Akka.Actor;
using Akka.Cluster;
using Akka.Http.Dsl;
using Akka.Management.Dsl;
using Route = System.ValueTuple<string, Akka.Http.Dsl.HttpModuleBase>;

namespace DistGrad.Distributed.Formation;

/// <summary>
/// Liveness and readiness on the Akka.Management endpoint (Akka.NET's Akka.Management serves no health checks of
/// its own; route providers are how it is extended). <c>GET /alive</c>: the ActorSystem runs. <c>GET /ready</c>:
/// this node is an Up cluster member and the actors it registered with <see cref="NodeReadiness"/> answer (on a
/// worker node its host actor, so a coordinator can place workers here). 200 with a one-line reason when healthy, 503 with the reason when not.
/// </summary>
public sealed class HealthRoutes : IManagementRouteProvider
{
    public const string AlivePath = "/alive";
    public const string ReadyPath = "/ready";

    public Route[] Routes(ManagementRouteProviderSettings settings) => [(AlivePath, new Check(Alive)), (ReadyPath, new Check(ReadyAsync))];

    private static Task<(bool Healthy, string Reason)> Alive(ActorSystem system) =>
        Task.FromResult(system.WhenTerminated.IsCompleted ? (false, "the actor system has stopped") : (true, "alive"));

    private static async Task<(bool Healthy, string Reason)> ReadyAsync(ActorSystem system)
    {
        var self = Cluster.Get(system).SelfMember;
        if (self.Status == MemberStatus.Removed)
        {
            // Before its first join a node's own member record reads Removed.
            return (false, $"{self.Address} has not joined a cluster yet");
        }

        if (self.Status != MemberStatus.Up)
        {
            return (false, $"cluster member {self.Address} is {self.Status}, not Up");
        }

        foreach (var (path, what) in NodeReadiness.Get(system).Required)
        {
            try
            {
                var identity = await system.ActorSelection(path).Ask<ActorIdentity>(new Identify(null), TimeSpan.FromSeconds(2)).ConfigureAwait(false);
                if (identity.Subject == null)
                {
                    return (false, $"{what} is not running");
                }
            }
            catch (Exception e) when (e is TimeoutException or AskTimeoutException or TaskCanceledException)
            {
                return (false, $"{what} did not answer within 2 s");
            }
        }

        return (true, NodeReadiness.Get(system).Required.Count == 0 ? $"member {self.Address} is Up" : $"member {self.Address} is Up and takes workers");
    }

    /// <summary>One health route: GET only; the answer's status says healthy or not, its body why.</summary>
    private sealed class Check(Func<ActorSystem, Task<(bool Healthy, string Reason)>> check) : HttpModuleBase
    {
        public override async Task<bool> HandleAsync(IAkkaHttpContext context)
        {
            if (!string.Equals(context.HttpContext.Request.Method, "GET", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            var (healthy, reason) = await check(context.ActorSystem).ConfigureAwait(false);
            context.HttpContext.Response.StatusCode = healthy ? Ceen.HttpStatusCode.OK : Ceen.HttpStatusCode.ServiceUnavailable;
            await context.HttpContext.Response.WriteAllAsync(reason + "\n", "text/plain; charset=utf-8").ConfigureAwait(false);
            return true;
        }
    }
}
