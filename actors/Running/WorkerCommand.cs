using Akka.Actor;
using Akka.Cluster;
using Akka.Hosting;
using DistGrad.Distributed.Cli;
using DistGrad.Distributed.Config;
using DistGrad.Distributed.Formation;
using DistGrad.Distributed.Nodes;
using DistGrad.Distributed.Security;
using DistGrad.Distributed.Workers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DistGrad.Distributed.Running;

/// <summary>
/// <c>worker</c> (and node-host): a worker node for a program's jobs, hosted by Microsoft.Extensions.Hosting
/// with Akka.Hosting owning the ActorSystem. It runs until SIGTERM/Ctrl+C (the host stops, and Akka.Hosting
/// leaves the cluster gracefully through coordinated shutdown) or until the cluster downs it.
/// </summary>
public static class WorkerCommand
{
    /// <summary>Runs the node; returns the exit code (0 after a graceful stop, 1 when it could not start or was downed).</summary>
    public static async Task<int> RunAsync(JobCatalog jobs, WorkerOptions options, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentNullException.ThrowIfNull(options);
        var telemetry = Telemetry.TelemetrySetup.Start(options.Telemetry, options.OtlpEndpoint);
        var report = new NodeReport(jobs, options, output, error);
        // Resolved before the host starts: a hostname that does not resolve is a one-line error, not a failed actor.
        var dataPlane = DataPlaneAddress.Of(options.Network);
        var tls = TlsSettings.Load(options.Tls, "worker", error);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        // Akka's own log goes to stderr through DistGradLogger (distgrad.hocon); the host adds no second logger.
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));
        builder.Services.AddAkka(ClusterConfig.SystemName, akka => akka
            .AddHocon(WorkerNode.Configuration(options.Network, options.Slots, options.AkkaOverrides, secure: tls != null), HoconAddMode.Prepend)
            .AddSetups(NodeTls.Setups(tls))
            .WithActors((system, _) =>
            {
                WorkerNode.StartActors(system, dataPlane, options.Slots, options.Devices, jobs);
                report.Watch(system);
            }));
        builder.Services.AddHostedService(provider => report.Attach(provider.GetRequiredService<IHostApplicationLifetime>()));
        using var host = builder.Build();
        try
        {
            await host.RunAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var cause = e is AggregateException { InnerException: { } inner } ? inner : e;
            var network = options.Network;
            error.WriteLine($"worker: cannot start on {network.BindHostname ?? network.Hostname}:{network.BindPort ?? network.Port}: {cause.Message}");
            return 1;
        }
        finally
        {
            foreach (var provider in telemetry)
            {
                provider.Dispose();
            }
        }

        if (report.Stopping && report.ExitCode == 0)
        {
            output.WriteLine("worker: left the cluster");
        }

        return report.ExitCode;
    }

    /// <summary>Says when the node joined and left, and stops the host with exit code 1 when the cluster downs the node.</summary>
    private sealed class NodeReport(JobCatalog jobs, WorkerOptions options, TextWriter output, TextWriter error) : IHostedService
    {
        private volatile bool _stopping;
        private IHostApplicationLifetime? _lifetime;

        public int ExitCode { get; private set; }

        /// <summary>The host was asked to stop (SIGTERM, Ctrl+C) before the ActorSystem ended on its own.</summary>
        public bool Stopping => _stopping;

        public void Watch(ActorSystem system)
        {
            var cluster = Cluster.Get(system);
            cluster.RegisterOnMemberUp(() =>
                output.WriteLine($"worker: joined as {cluster.SelfAddress} with {options.Slots} worker slot(s) ({options.Devices}) for job(s) {string.Join(", ", jobs.Names)}"));
            system.WhenTerminated.ContinueWith(_ => Terminated(system), TaskScheduler.Default);
            _ = JoinOrFail(system);
        }

        /// <summary>Starts Cluster Bootstrap when the discovery needs it; a node that cannot join in time stops with exit code 1, saying why.</summary>
        private async Task JoinOrFail(ActorSystem system)
        {
            string? problem;
            try
            {
                await ClusterJoin.StartAsync(system, options.Network).ConfigureAwait(false);
                problem = await ClusterJoin.WaitUntilUpAsync(system, options.Network).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                problem = e.Message;
            }

            if (problem != null && !_stopping)
            {
                error.WriteLine($"worker: {problem}");
                ExitCode = 1;
                _lifetime?.StopApplication();
            }
        }

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken)
        {
            // Hosted services stop in reverse order, so this runs before Akka.Hosting's coordinated shutdown.
            _stopping = true;
            output.WriteLine("worker: leaving the cluster");
            return Task.CompletedTask;
        }

        /// <summary>Remembers the host's lifetime, to stop it when the ActorSystem ends on its own.</summary>
        public NodeReport Attach(IHostApplicationLifetime lifetime)
        {
            _lifetime = lifetime;
            return this;
        }

        private void Terminated(ActorSystem system)
        {
            if (_stopping)
            {
                return;
            }

            if (CoordinatedShutdown.Get(system).ShutdownReason is CoordinatedShutdown.ClusterDowningReason)
            {
                error.WriteLine($"worker: the cluster downed this node ({Cluster.Get(system).SelfAddress}): it was unreachable for too long");
                ExitCode = 1;
            }

            _lifetime?.StopApplication();
        }
    }
}
