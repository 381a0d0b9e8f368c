using System.Globalization;
using Akka.Configuration;
using Akka.Discovery.KubernetesApi;
using static DistGrad.Distributed.Formation.HostAddress;

namespace DistGrad.Distributed.Formation;

/// <summary>
/// The Akka.Management, Cluster Bootstrap and discovery settings of a node that finds its cluster through
/// contact points instead of seed nodes. Every such node serves the management endpoint: the others probe it
/// (<c>/bootstrap/seed-nodes</c>), and Kubernetes probes <c>/alive</c> and <c>/ready</c> (<see cref="HealthRoutes"/>).
/// </summary>
internal static class BootstrapConfig
{
    /// <summary>The name nodes look each other up by (Cluster Bootstrap's service name; the config discovery's service).</summary>
    public const string ServiceName = "distgrad";

    /// <summary>The name of the management port on the pods' containers (kubernetes-api discovery reads its number there).</summary>
    public const string ManagementPortName = "management";

    public static string Method(ClusterDiscovery discovery) => discovery switch
    {
        ClusterDiscovery.Config => "config",
        ClusterDiscovery.KubernetesApi => "kubernetes-api",
        _ => throw new ArgumentException($"{discovery} does not use Cluster Bootstrap"),
    };

    /// <summary>The port name bootstrap passes to discovery (null: the endpoints carry their ports).</summary>
    public static string? PortName(ClusterDiscovery discovery) => discovery == ClusterDiscovery.KubernetesApi ? ManagementPortName : null;

    public static Akka.Configuration.Config For(NodeNetwork network)
    {
        var method = Method(network.Discovery);
        var endpoints = string.Join(", ", network.ContactPoints.Select(Quote));
        var text = string.Create(CultureInfo.InvariantCulture, $$"""
            akka.management.http {
              hostname = {{Quote(network.Hostname)}}
              port = {{network.ManagementPort}}
              bind-hostname = {{Quote(network.BindHostname ?? network.Hostname)}}
              bind-port = {{network.ManagementPort}}
              routes.distgrad-health = "{{typeof(HealthRoutes).FullName}}, {{typeof(HealthRoutes).Assembly.GetName().Name}}"
            }
            akka.management.cluster.bootstrap {
              contact-point-discovery {
                service-name = "{{ServiceName}}"
                discovery-method = {{method}}
                port-name = "{{PortName(network.Discovery) ?? ""}}"
                required-contact-point-nr = {{network.RequiredContactPoints}}
                # Nodes of a training job start together: a short stable margin and a fast poll form the cluster in
                # seconds rather than the defaults' tens of seconds (required-contact-point-nr still guards against
                # forming a cluster before enough nodes are up).
                stable-margin = 500ms
                interval = 250ms
              }
              contact-point {
                fallback-port = {{network.ManagementPort}}
                # Config endpoints name their own ports (several nodes on one machine use several), so none is filtered out.
                filter-on-fallback-port = false
                probe-interval = 500ms
                probing-failure-timeout = 2s
              }
            }
            akka.discovery {
              method = {{method}}
              config.services.{{ServiceName}}.endpoints = [{{endpoints}}]
              kubernetes-api.pod-label-selector = {{Quote(network.PodLabelSelector)}}
            }
            """);
        var config = ConfigurationFactory.ParseString(text);
        // The discovery's own defaults (API paths, environment names) are read when the first lookup builds it.
        return network.Discovery == ClusterDiscovery.KubernetesApi ? config.WithFallback(KubernetesDiscovery.DefaultConfiguration()) : config;
    }
}
