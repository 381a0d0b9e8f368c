using DistGrad.Distributed.Formation;

namespace DistGrad.Distributed.Tests.Kubernetes;

/// <summary>
/// Each container's command line (args and DISTGRAD_* variables) parses with the program's own parser, joins a
/// real cluster at its pod IP, and agrees with every other node on how the cluster forms: the same discovery, pod
/// selector and required contact points, a selector that finds every DistGrad pod, and enough pods to meet it.
/// </summary>
internal static class CommandLineChecks
{
    private static string Unparsable(ContainerCommandLine line, string error) =>
        $"`{line.Command} {string.Join(' ', line.Arguments)}` with its DISTGRAD_* variables does not parse: {error}";

    public static IEnumerable<string> Problems(RenderedManifests manifests)
    {
        var nodes = new List<(ContainerCommandLine Line, NodeNetwork Network)>();
        foreach (var line in ContainerCommandLine.All(manifests))
        {
            if (line.Container.Command is { Count: > 0 })
            {
                yield return $"{line} overrides the image's ENTRYPOINT (dotnet /app/<program>.dll); give the command word in args";
            }

            NodeNetwork? network = null;
            if (line.Command == "train")
            {
                if (!ContainerCommandLine.TryParse(line.ParseTrain, out var train, out var error))
                {
                    yield return $"{line}: {Unparsable(line, error)}";
                }
                else if (!train.UseCluster)
                {
                    yield return $"{line} runs `train` without --cluster: it would train on an embedded cluster inside its own pod";
                }

                network = train?.Network;
            }
            else if (!ContainerCommandLine.TryParse(line.ParseNetwork, out network, out var error))
            {
                yield return $"{line}: {Unparsable(line, error)}";
            }

            if (network == null)
            {
                continue;
            }

            if (network.Hostname != ContainerCommandLine.PodIp)
            {
                yield return $"{line} advertises --hostname {network.Hostname}, not its pod IP (DISTGRAD_HOSTNAME from fieldRef status.podIP)";
            }

            if ((network.BindHostname ?? network.Hostname) is not ("0.0.0.0" or ContainerCommandLine.PodIp))
            {
                yield return $"{line} listens on {network.BindHostname}, which other pods cannot reach";
            }

            nodes.Add((line, network));
        }

        foreach (var (setting, value) in new (string, Func<NodeNetwork, string>)[]
        {
            ("--discovery", n => n.Discovery.Name()),
            ("--pod-label-selector", n => n.PodLabelSelector),
            ("--required-contact-points", n => n.RequiredContactPoints.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        })
        {
            var values = nodes.Select(n => value(n.Network)).Distinct().ToList();
            if (values.Count > 1)
            {
                yield return $"the nodes disagree on {setting}: {string.Join(" vs ", values)}";
            }
        }

        var distGradPods = manifests.Workloads.Where(w => nodes.Any(n => n.Line.Workload == w)).ToList();
        foreach (var (line, network) in nodes.Where(n => n.Network.Discovery == ClusterDiscovery.KubernetesApi))
        {
            var missed = distGradPods.Where(w => !LabelSelectors.Matches(network.PodLabelSelector, w.Labels)).ToList();
            if (missed.Count > 0)
            {
                yield return $"{line}'s --pod-label-selector {network.PodLabelSelector} misses {string.Join(", ", missed)}, which would not be found as contact points";
            }

            var found = manifests.Workloads.Where(w => LabelSelectors.Matches(network.PodLabelSelector, w.Labels)).Sum(w => w.Pods);
            if (found < network.RequiredContactPoints)
            {
                yield return $"{line} needs --required-contact-points {network.RequiredContactPoints}, but its selector finds only {found} pods";
            }
        }
    }
}
