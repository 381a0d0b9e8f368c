using k8s;
using k8s.Models;

namespace DistGrad.Distributed.Tests.Kubernetes;

/// <summary>The objects an overlay renders, loaded into their models (mutable: the negative tests break one on purpose).</summary>
internal sealed class RenderedManifests(IReadOnlyList<IKubernetesObject<V1ObjectMeta>> objects)
{
    public IReadOnlyList<IKubernetesObject<V1ObjectMeta>> All { get; } = objects;

    public IEnumerable<T> OfKind<T>() => All.OfType<T>();

    /// <summary>The StatefulSets, Deployments and Jobs: everything that runs pods.</summary>
    public IReadOnlyList<Workload> Workloads => All.Select(Workload.From).OfType<Workload>().ToList();

    /// <summary>The one object of kind <typeparamref name="T"/> named <paramref name="name"/> (fails the test when there is not exactly one).</summary>
    public T Named<T>(string name)
        where T : IKubernetesObject<V1ObjectMeta> =>
        Assert.Single(OfKind<T>(), o => o.Metadata.Name == name);

    public V1ConfigMap? ConfigMap(string name) => OfKind<V1ConfigMap>().FirstOrDefault(c => c.Metadata.Name == name);
}
