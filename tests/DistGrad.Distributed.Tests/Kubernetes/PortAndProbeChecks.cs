using DistGrad.Distributed.Cli;
using DistGrad.Distributed.Formation;
using k8s.Models;

namespace DistGrad.Distributed.Tests.Kubernetes;

/// <summary>
/// Ports that must agree with what the program listens on: the container ports named <c>management</c> (which
/// kubernetes-api discovery looks up) and the remoting port against the parsed options, the probes against the
/// management port and DistGrad's health paths, the Services' target ports against the selected pods' ports.
/// </summary>
internal static class PortAndProbeChecks
{
    public const string ManagementPortName = "management";

    public static IEnumerable<string> Problems(RenderedManifests manifests)
    {
        foreach (var line in ContainerCommandLine.All(manifests))
        {
            if (!ContainerCommandLine.TryParse(line.ParseNetwork, out var network, out var error))
            {
                yield return $"{line}: the ports cannot be checked, its options do not parse: {error}";
                continue;
            }

            foreach (var problem in ContainerProblems(line, network))
            {
                yield return $"{line}: {problem}";
            }
        }

        foreach (var service in manifests.OfKind<V1Service>())
        {
            foreach (var workload in manifests.Workloads.Where(w => LabelSelectors.Matches(service.Spec.Selector, w.Labels)))
            {
                var ports = workload.Spec.Containers.SelectMany(c => c.Ports ?? []).ToList();
                foreach (var port in service.Spec.Ports)
                {
                    var target = port.TargetPort?.Value ?? port.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    if (!ports.Any(p => p.Name == target || p.ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture) == target))
                    {
                        yield return $"Service {service.Metadata.Name}'s port {port.Name} targets '{target}', which is no container port of {workload}";
                    }
                }
            }
        }
    }

    private static IEnumerable<string> ContainerProblems(ContainerCommandLine line, NodeNetwork network)
    {
        var ports = line.Container.Ports ?? [];
        var management = ports.FirstOrDefault(p => p.Name == ManagementPortName);
        if (management == null || management.ContainerPort != network.ManagementPort)
        {
            yield return $"no container port named '{ManagementPortName}' with the --management-port {network.ManagementPort} (kubernetes-api discovery finds contact points by that name)";
        }

        var remoting = network.BindPort ?? network.Port;
        if (remoting == 0 || ports.All(p => p.ContainerPort != remoting))
        {
            yield return $"the Akka remoting port it listens on ({remoting}) is not a fixed, declared container port";
        }

        // The data plane's peers connect to the ports a worker takes; fixed and declared, so that network policies
        // and the image's EXPOSE can name them.
        if (line.Command == "worker" && (network.DataPorts.IsAny || network.DataPorts.Ports.Any(p => ports.All(c => c.ContainerPort != p))))
        {
            yield return $"its --data-port {network.DataPorts} is not a fixed range of declared container ports";
        }

        foreach (var (kind, probe, path) in new[]
        {
            ("startupProbe", line.Container.StartupProbe, HealthRoutes.AlivePath),
            ("livenessProbe", line.Container.LivenessProbe, HealthRoutes.AlivePath),
            ("readinessProbe", line.Container.ReadinessProbe, HealthRoutes.ReadyPath),
        })
        {
            if (probe == null)
            {
                continue;
            }

            if (probe.HttpGet is not { } get)
            {
                yield return $"its {kind} is not an HTTP GET of {path}";
                continue;
            }

            if (get.Path != path)
            {
                yield return $"its {kind} asks for '{get.Path}', not {path}";
            }

            var port = get.Port?.Value;
            var number = ports.FirstOrDefault(p => p.Name == port)?.ContainerPort
                ?? (int.TryParse(port, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : (int?)null);
            if (number != network.ManagementPort)
            {
                yield return $"its {kind} probes port '{port}' ({(number?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no container port")}), not the --management-port {network.ManagementPort}";
            }
        }
    }
}
