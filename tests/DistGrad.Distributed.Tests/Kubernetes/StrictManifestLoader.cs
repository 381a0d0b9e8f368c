using System.Text.RegularExpressions;
using k8s;
using k8s.Models;

namespace DistGrad.Distributed.Tests.Kubernetes;

/// <summary>
/// Loads a YAML stream into KubernetesClient's models, strictly: a field the model does not have (a typo, a
/// field at the wrong level) throws, and so does a kind k8s/ is not expected to contain, so that every object the
/// checks see is one they know how to check.
/// </summary>
internal static partial class StrictManifestLoader
{
    private static readonly Dictionary<string, Func<string, IKubernetesObject<V1ObjectMeta>>> Kinds = new(StringComparer.Ordinal)
    {
        ["apps/v1/StatefulSet"] = yaml => KubernetesYaml.Deserialize<V1StatefulSet>(yaml, strict: true),
        ["apps/v1/Deployment"] = yaml => KubernetesYaml.Deserialize<V1Deployment>(yaml, strict: true),
        ["batch/v1/Job"] = yaml => KubernetesYaml.Deserialize<V1Job>(yaml, strict: true),
        ["v1/Service"] = yaml => KubernetesYaml.Deserialize<V1Service>(yaml, strict: true),
        ["v1/ServiceAccount"] = yaml => KubernetesYaml.Deserialize<V1ServiceAccount>(yaml, strict: true),
        ["v1/ConfigMap"] = yaml => KubernetesYaml.Deserialize<V1ConfigMap>(yaml, strict: true),
        ["v1/PersistentVolumeClaim"] = yaml => KubernetesYaml.Deserialize<V1PersistentVolumeClaim>(yaml, strict: true),
        ["rbac.authorization.k8s.io/v1/Role"] = yaml => KubernetesYaml.Deserialize<V1Role>(yaml, strict: true),
        ["rbac.authorization.k8s.io/v1/RoleBinding"] = yaml => KubernetesYaml.Deserialize<V1RoleBinding>(yaml, strict: true),
        ["policy/v1/PodDisruptionBudget"] = yaml => KubernetesYaml.Deserialize<V1PodDisruptionBudget>(yaml, strict: true),
    };

    /// <summary>Every document of <paramref name="stream"/> (separated by <c>---</c> lines), as its model.</summary>
    public static RenderedManifests Load(string stream)
    {
        var objects = new List<IKubernetesObject<V1ObjectMeta>>();
        foreach (var document in DocumentSeparator().Split(stream).Where(d => !string.IsNullOrWhiteSpace(d)))
        {
            objects.Add(LoadOne(document));
        }

        return new RenderedManifests(objects);
    }

    /// <summary>One document as its model; fails the test on a kind the map does not name or a field its model lacks.</summary>
    public static IKubernetesObject<V1ObjectMeta> LoadOne(string document)
    {
        var header = KubernetesYaml.Deserialize<KubernetesObject>(document);
        var key = $"{header.ApiVersion}/{header.Kind}";
        Assert.True(Kinds.TryGetValue(key, out var load), $"k8s/ renders a {key}, which these tests do not know how to check:\n{document}");
        return load!(document);
    }

    [GeneratedRegex(@"^---[ \t]*\r?$", RegexOptions.Multiline)]
    private static partial Regex DocumentSeparator();
}
