using System.Text.Json;
using DistGrad.Distributed.Tests.Cluster;
using DistGrad.Distributed.Tests.Packages;
using DistGrad.Distributed.Tests.Processes;

namespace DistGrad.Distributed.Tests.Kubernetes;

/// <summary>
/// Runs each Dockerfile's own publish line (same project, same configuration, another -o) outside Docker and
/// starts what the image's ENTRYPOINT would start. In the process tests' collection: the publish builds the
/// same projects in place, which must not happen while another test runs their outputs.
/// </summary>
[Collection(ClusterCollection.Name)]
public class DockerfilePublishTests
{
    private static readonly TimeSpan HelpLimit = TimeSpan.FromSeconds(60);

    [Theory]
    [MemberData(nameof(DockerfileTests.Images), MemberType = typeof(DockerfileTests))]
    public void The_publish_step_gives_the_entry_point_s_dll_which_needs_only_the_runtime_and_has_train_and_worker(string path, string project, string program)
    {
        var dockerfile = DockerfileTests.Load(path);
        var publish = PublishStep.Of(dockerfile);
        Assert.Equal(project, publish.Project);
        using var output = new TempDirectory();

        PackageFeed.Dotnet(ChildProcess.RepositoryRoot, [.. publish.Into(output.Path)]);

        // ENTRYPOINT ["dotnet", "/app/<program>.dll"], with /app (the -o folder) here.
        var entry = dockerfile.Final.ExecEntryPoint()[^1];
        Assert.StartsWith(publish.OutputDirectory + "/", entry, StringComparison.Ordinal);
        var dll = Path.Combine(output.Path, entry[(publish.OutputDirectory.Length + 1)..]);
        Assert.True(File.Exists(dll), $"{path}'s ENTRYPOINT runs {entry}, which its publish step does not produce ({program}.dll expected)");

        // The runtime image has Microsoft.NETCore.App and nothing else (no ASP.NET Core).
        using var runtimeConfig = JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(dll, ".runtimeconfig.json")));
        var options = runtimeConfig.RootElement.GetProperty("runtimeOptions");
        var frameworks = options.TryGetProperty("frameworks", out var many) ? many.EnumerateArray().ToList() : [options.GetProperty("framework")];
        Assert.Equal(["Microsoft.NETCore.App"], frameworks.Select(f => f.GetProperty("name").GetString()));

        using var help = ChildProcess.Start(dll, null, "--help");
        Assert.True(help.WaitForExit(HelpLimit), $"{dll} --help did not end:\n{help.Output}");
        Assert.True(help.ExitCode == 0, $"{dll} --help exited {help.ExitCode}:\n{help.Output}");
        Assert.Matches(@"(?m)^\s+train\b", help.Output);
        Assert.Matches(@"(?m)^\s+worker\b", help.Output);
    }
}
