using k8s.Models;

namespace DistGrad.Distributed.Tests.Kubernetes;

/// <summary>Selectors that must find pods: a Service's, a PodDisruptionBudget's, a workload's own, affinity and spread terms, a StatefulSet's Service.</summary>
internal static class SelectorChecks
{
    public static IEnumerable<string> Problems(RenderedManifests manifests)
    {
        var workloads = manifests.Workloads;
        bool AnyPod(Func<IDictionary<string, string>, bool> selects) => workloads.Any(w => selects(w.Labels));

        foreach (var service in manifests.OfKind<V1Service>())
        {
            if (!AnyPod(labels => LabelSelectors.Matches(service.Spec.Selector, labels)))
            {
                yield return $"Service {service.Metadata.Name}'s selector {Show(service.Spec.Selector)} matches no workload's pod labels";
            }
        }

        foreach (var budget in manifests.OfKind<V1PodDisruptionBudget>())
        {
            if (!AnyPod(labels => LabelSelectors.Matches(budget.Spec.Selector, labels)))
            {
                yield return $"PodDisruptionBudget {budget.Metadata.Name}'s selector {Show(budget.Spec.Selector?.MatchLabels)} matches no workload's pod labels";
            }
        }

        foreach (var workload in workloads)
        {
            // A Job may leave its selector to the API server; the others must select their own template.
            if ((workload.Selector != null || workload.Kind != "Job") && !LabelSelectors.Matches(workload.Selector, workload.Labels))
            {
                yield return $"{workload}'s selector {Show(workload.Selector?.MatchLabels)} does not match its own pod template's labels {Show(workload.Labels)}";
            }

            foreach (var term in AffinityTerms(workload.Spec))
            {
                if (!AnyPod(labels => LabelSelectors.Matches(term, labels)))
                {
                    yield return $"{workload}'s (anti-)affinity term {Show(term.MatchLabels)} matches no workload's pod labels";
                }
            }

            foreach (var spread in workload.Spec.TopologySpreadConstraints ?? [])
            {
                if (!LabelSelectors.Matches(spread.LabelSelector, workload.Labels))
                {
                    yield return $"{workload}'s topology spread selector {Show(spread.LabelSelector?.MatchLabels)} does not match its own pods";
                }
            }
        }

        foreach (var set in manifests.OfKind<V1StatefulSet>())
        {
            var governing = manifests.OfKind<V1Service>().FirstOrDefault(s => s.Metadata.Name == set.Spec.ServiceName);
            if (governing == null || governing.Spec.ClusterIP != "None")
            {
                yield return $"StatefulSet {set.Metadata.Name}'s serviceName '{set.Spec.ServiceName}' is not a headless Service of these manifests";
            }
            else if (!LabelSelectors.Matches(governing.Spec.Selector, set.Spec.Template.Metadata.Labels))
            {
                yield return $"StatefulSet {set.Metadata.Name}'s Service {governing.Metadata.Name} does not select its pods";
            }
        }
    }

    private static IEnumerable<V1LabelSelector> AffinityTerms(V1PodSpec spec)
    {
        var affinity = spec.Affinity;
        IEnumerable<V1PodAffinityTerm> required =
        [
            .. affinity?.PodAffinity?.RequiredDuringSchedulingIgnoredDuringExecution ?? [],
            .. affinity?.PodAntiAffinity?.RequiredDuringSchedulingIgnoredDuringExecution ?? [],
            .. (affinity?.PodAffinity?.PreferredDuringSchedulingIgnoredDuringExecution ?? []).Select(p => p.PodAffinityTerm),
            .. (affinity?.PodAntiAffinity?.PreferredDuringSchedulingIgnoredDuringExecution ?? []).Select(p => p.PodAffinityTerm),
        ];
        return required.Select(t => t.LabelSelector).OfType<V1LabelSelector>();
    }

    private static string Show(IDictionary<string, string>? labels) =>
        labels == null ? "{}" : "{" + string.Join(", ", labels.Select(p => $"{p.Key}={p.Value}")) + "}";
}
