using k8s.Models;

namespace DistGrad.Distributed.Tests.Kubernetes;

/// <summary>
/// kubernetes-api discovery lists the pods of its namespace with the pod's service account: each workload's
/// account must exist, carry its token, and be bound by a RoleBinding to a Role that allows listing pods.
/// </summary>
internal static class RbacChecks
{
    public static IEnumerable<string> Problems(RenderedManifests manifests)
    {
        foreach (var workload in manifests.Workloads)
        {
            var account = workload.Spec.ServiceAccountName;
            if (string.IsNullOrEmpty(account) || account == "default")
            {
                yield return $"{workload} runs as the namespace's default service account, which no Role here is bound to";
                continue;
            }

            if (!manifests.OfKind<V1ServiceAccount>().Any(a => a.Metadata.Name == account && a.Metadata.NamespaceProperty == workload.Namespace))
            {
                yield return $"{workload}'s service account '{account}' is not one of these manifests";
            }

            if (workload.Spec.AutomountServiceAccountToken == false)
            {
                yield return $"{workload} does not mount its service account's token, which discovery authenticates with";
            }

            if (!RolesOf(manifests, account, workload.Namespace).Any(AllowsListingPods))
            {
                yield return $"{workload}'s service account '{account}' is bound to no Role that allows list on pods";
            }
        }
    }

    /// <summary>The Roles bound to the service account <paramref name="account"/> of namespace <paramref name="ns"/>.</summary>
    private static IEnumerable<V1Role> RolesOf(RenderedManifests manifests, string account, string? ns) =>
        from binding in manifests.OfKind<V1RoleBinding>()
        where binding.Metadata.NamespaceProperty == ns
        where (binding.Subjects ?? []).Any(s => s.Kind == "ServiceAccount" && s.Name == account && (string.IsNullOrEmpty(s.NamespaceProperty) || s.NamespaceProperty == ns))
        where binding.RoleRef.Kind == "Role"
        from role in manifests.OfKind<V1Role>()
        where role.Metadata.Name == binding.RoleRef.Name && role.Metadata.NamespaceProperty == ns
        select role;

    private static bool AllowsListingPods(V1Role role) =>
        (role.Rules ?? []).Any(rule =>
            (rule.ApiGroups ?? []).Any(g => g is "" or "*")
            && (rule.Resources ?? []).Any(r => r is "pods" or "*")
            && rule.Verbs.Any(v => v is "list" or "*"));
}
