using k8s.Models;

namespace DistGrad.Distributed.Tests.Kubernetes;

/// <summary>
/// Every container runs as a non-root numeric user, cannot gain privileges, has no capabilities and a read-only
/// root filesystem with a writable /tmp (the .NET runtime needs one), and has CPU and memory requests and limits.
/// </summary>
internal static class SecurityChecks
{
    public static IEnumerable<string> Problems(RenderedManifests manifests)
    {
        foreach (var workload in manifests.Workloads)
        {
            var pod = workload.Spec.SecurityContext;
            foreach (var container in workload.Spec.Containers)
            {
                var where = $"{workload} container {container.Name}";
                var own = container.SecurityContext;
                if ((own?.RunAsNonRoot ?? pod?.RunAsNonRoot) != true)
                {
                    yield return $"{where} does not set runAsNonRoot";
                }

                if ((own?.RunAsUser ?? pod?.RunAsUser) is not > 0)
                {
                    yield return $"{where} names no non-root runAsUser (runAsNonRoot can only check a numeric user)";
                }

                if (own?.ReadOnlyRootFilesystem != true)
                {
                    yield return $"{where} does not set readOnlyRootFilesystem";
                }

                if (own?.AllowPrivilegeEscalation != false)
                {
                    yield return $"{where} does not set allowPrivilegeEscalation: false";
                }

                if (own?.Capabilities?.Drop?.Contains("ALL") != true)
                {
                    yield return $"{where} does not drop ALL capabilities";
                }

                var tmp = (container.VolumeMounts ?? []).FirstOrDefault(m => m.MountPath.TrimEnd('/') == "/tmp" && m.ReadOnlyProperty != true);
                if (tmp == null || (workload.Spec.Volumes ?? []).FirstOrDefault(v => v.Name == tmp.Name)?.EmptyDir == null)
                {
                    yield return $"{where} has no writable emptyDir at /tmp, which .NET needs on a read-only root filesystem";
                }

                foreach (var resource in new[] { "cpu", "memory" })
                {
                    if (container.Resources?.Requests?.ContainsKey(resource) != true || container.Resources?.Limits?.ContainsKey(resource) != true)
                    {
                        yield return $"{where} does not request and limit {resource}";
                    }
                }
            }
        }
    }

    /// <summary>The user every container runs as (null: containers differ or name none).</summary>
    public static long? RunAsUser(RenderedManifests manifests)
    {
        var users = manifests.Workloads
            .SelectMany(w => w.Spec.Containers.Select(c => c.SecurityContext?.RunAsUser ?? w.Spec.SecurityContext?.RunAsUser))
            .Distinct()
            .ToList();
        return users is [var only] ? only : null;
    }
}
