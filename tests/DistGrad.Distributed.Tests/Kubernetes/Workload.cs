using k8s.Models;

namespace DistGrad.Distributed.Tests.Kubernetes;

/// <summary>
/// An object that runs pods (StatefulSet, Deployment, Job): its pod template, the selector it owns its pods by
/// (null for a Job whose selector the API server generates) and how many pods it keeps.
/// </summary>
internal sealed record Workload(string Kind, string Name, string? Namespace, V1LabelSelector? Selector, V1PodTemplateSpec Template, int Pods)
{
    public IDictionary<string, string> Labels => Template.Metadata?.Labels ?? new Dictionary<string, string>();

    public V1PodSpec Spec => Template.Spec;

    public override string ToString() => $"{Kind} {Name}";

    public static Workload? From(object manifest) => manifest switch
    {
        V1StatefulSet s => new("StatefulSet", s.Metadata.Name, s.Metadata.NamespaceProperty, s.Spec.Selector, s.Spec.Template, s.Spec.Replicas ?? 1),
        V1Deployment d => new("Deployment", d.Metadata.Name, d.Metadata.NamespaceProperty, d.Spec.Selector, d.Spec.Template, d.Spec.Replicas ?? 1),
        V1Job j => new("Job", j.Metadata.Name, j.Metadata.NamespaceProperty, j.Spec.Selector, j.Spec.Template, j.Spec.Parallelism ?? 1),
        _ => null,
    };
}
