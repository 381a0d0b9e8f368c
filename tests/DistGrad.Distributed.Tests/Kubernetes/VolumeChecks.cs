using k8s.Models;

namespace DistGrad.Distributed.Tests.Kubernetes;

/// <summary>
/// Mounts name volumes the pod has; claims name ReadWriteMany PVCs of these manifests (several pods on several
/// machines write one run directory); a Secret outside the manifests is either optional or one the README tells the
/// operator to create (<see cref="OperatorSecrets"/>) with every key the pod reads; ConfigMaps outside them are optional.
/// </summary>
internal static class VolumeChecks
{
    public const string ReadWriteMany = "ReadWriteMany";

    public static IEnumerable<string> Problems(RenderedManifests manifests) => Problems(manifests, OperatorSecrets.FromReadme());

    public static IEnumerable<string> Problems(RenderedManifests manifests, IReadOnlyDictionary<string, IReadOnlySet<string>> operatorSecrets)
    {
        foreach (var workload in manifests.Workloads)
        {
            var volumes = (workload.Spec.Volumes ?? []).ToDictionary(v => v.Name, StringComparer.Ordinal);
            foreach (var container in workload.Spec.Containers)
            {
                foreach (var mount in container.VolumeMounts ?? [])
                {
                    if (!volumes.ContainsKey(mount.Name))
                    {
                        yield return $"{workload} container {container.Name} mounts '{mount.Name}' at {mount.MountPath}, which is no volume of the pod";
                    }
                }
            }

            foreach (var volume in volumes.Values)
            {
                if (volume.PersistentVolumeClaim is { } claim)
                {
                    var pvc = manifests.OfKind<V1PersistentVolumeClaim>().FirstOrDefault(c => c.Metadata.Name == claim.ClaimName && c.Metadata.NamespaceProperty == workload.Namespace);
                    if (pvc == null)
                    {
                        yield return $"{workload}'s volume {volume.Name} claims '{claim.ClaimName}', which is no PersistentVolumeClaim of these manifests";
                    }
                    else if (!(pvc.Spec.AccessModes ?? []).Contains(ReadWriteMany))
                    {
                        yield return $"{workload}'s volume {volume.Name} claims {claim.ClaimName}, which is not {ReadWriteMany} (every node mounts it)";
                    }
                }

                if (volume.Secret is { } secret && secret.Optional != true)
                {
                    if (!operatorSecrets.TryGetValue(secret.SecretName, out var keys))
                    {
                        yield return $"{workload}'s volume {volume.Name} needs Secret '{secret.SecretName}', which neither these manifests nor the README's kubectl commands create: make it optional or document it";
                    }
                    else
                    {
                        foreach (var item in secret.Items ?? [])
                        {
                            if (!keys.Contains(item.Key))
                            {
                                yield return $"{workload}'s volume {volume.Name} reads key '{item.Key}' of Secret '{secret.SecretName}', which the README does not put in it";
                            }
                        }
                    }
                }

                if (volume.ConfigMap is { } map && map.Optional != true && manifests.ConfigMap(map.Name) == null)
                {
                    yield return $"{workload}'s volume {volume.Name} needs ConfigMap '{map.Name}', which is not one of these manifests";
                }
            }
        }
    }

    /// <summary>The PVC behind the mount of <paramref name="container"/> that holds <paramref name="path"/> (null: none; writable: a mount not read-only).</summary>
    public static string? ClaimHolding(Workload workload, V1Container container, string path, bool writable)
    {
        var mount = (container.VolumeMounts ?? [])
            .Where(m => Contains(m.MountPath, path) && (!writable || m.ReadOnlyProperty != true))
            .MaxBy(m => m.MountPath.Length);
        var volume = (workload.Spec.Volumes ?? []).FirstOrDefault(v => v.Name == mount?.Name);
        return volume?.PersistentVolumeClaim is { } claim && (!writable || claim.ReadOnlyProperty != true) ? claim.ClaimName : null;
    }

    private static bool Contains(string mountPath, string path)
    {
        var root = mountPath.TrimEnd('/') + "/";
        return path == mountPath.TrimEnd('/') || path.StartsWith(root, StringComparison.Ordinal);
    }
}
