namespace DistGrad.Distributed.Tests.Kubernetes;

/// <summary>The kustomize overlays under k8s/overlays, rendered and loaded once per test (they are small).</summary>
internal static class Overlays
{
    public const string Kubectl = "kubectl";
    public const string KubectlPackage = "kubectl";

    /// <summary>The namespace the overlays put everything in.</summary>
    public const string Namespace = "distgrad";

    public static TheoryData<string> Names => ["cpu", "gpu"];

    public static RenderedManifests Load(string overlay) => StrictManifestLoader.Load(Kustomize.Render("overlays/" + overlay));

    /// <summary>Fails the test with every problem a check found, one a line.</summary>
    public static void AssertNone(IEnumerable<string> problems, string overlay)
    {
        var found = problems.ToList();
        Assert.True(found.Count == 0, $"k8s/overlays/{overlay}:\n  " + string.Join("\n  ", found));
    }
}
