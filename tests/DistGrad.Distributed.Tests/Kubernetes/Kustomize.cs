using System.Diagnostics;
using DistGrad.Distributed.Tests.Processes;

namespace DistGrad.Distributed.Tests.Kubernetes;

/// <summary>Renders a kustomization of the repository's k8s/ folder with <c>kubectl kustomize</c> (offline: no API server).</summary>
internal static class Kustomize
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    /// <summary>The multi-document YAML that <c>kubectl apply -k k8s/<paramref name="folder"/></c> would send.</summary>
    public static string Render(string folder)
    {
        var directory = Path.Combine(ChildProcess.RepositoryRoot, "k8s", folder);
        var start = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("kustomize");
        start.ArgumentList.Add(directory);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start kubectl");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Limit))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"kubectl kustomize {directory} took longer than {Limit.TotalSeconds} s");
        }

        Assert.True(process.ExitCode == 0, $"kubectl kustomize {directory} failed ({process.ExitCode}):\n{error.Result}");
        return output.Result;
    }
}
