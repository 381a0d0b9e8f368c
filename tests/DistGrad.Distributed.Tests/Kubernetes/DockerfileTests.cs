using DistGrad.Distributed.Tests.Processes;

namespace DistGrad.Distributed.Tests.Kubernetes;

/// <summary>What the images are, read from their Dockerfiles: the runtime image, a non-root user, SIGTERM, the published program as the entry point.</summary>
public class DockerfileTests
{
    public const string Runtime = "mcr.microsoft.com/dotnet/runtime:";
    public const string Sdk = "mcr.microsoft.com/dotnet/sdk:";

    /// <summary>DistGrad's image and the example of a user's image: the project each publishes and its program (AssemblyName).</summary>
    public static TheoryData<string, string, string> Images => new()
    {
        { "Dockerfile", "coordinator/DistGrad.Coordinator.csproj", "coordinator" },
        { "examples/ResidualSpirals/Dockerfile", "examples/ResidualSpirals/ResidualSpirals.csproj", "ResidualSpirals" },
    };

    /// <summary>The same images with the program alone.</summary>
    public static TheoryData<string, string> Programs => new()
    {
        { "Dockerfile", "coordinator" },
        { "examples/ResidualSpirals/Dockerfile", "ResidualSpirals" },
    };

    internal static Dockerfile Load(string relativePath) => Dockerfile.Load(Path.Combine(ChildProcess.RepositoryRoot, relativePath));

    /// <summary>The numeric user the image runs as (a failed test when it is not numeric).</summary>
    internal static long NumericUser(Dockerfile dockerfile)
    {
        var user = dockerfile.Final.Last("USER");
        Assert.True(user != null, $"{dockerfile.Path}: the final stage has no USER, so it runs as root");
        var uid = user!.Split(':')[0];
        Assert.True(long.TryParse(uid, System.Globalization.CultureInfo.InvariantCulture, out var number), $"{dockerfile.Path}: USER {user} is not numeric, so Kubernetes' runAsNonRoot cannot verify it");
        return number;
    }

    [Theory]
    [MemberData(nameof(Programs))]
    public void The_image_is_the_runtime_alone_run_by_a_numeric_non_root_user_and_stopped_by_SIGTERM(string path, string program)
    {
        var dockerfile = Load(path);

        Assert.StartsWith(Runtime, dockerfile.Final.BaseImage, StringComparison.Ordinal);
        Assert.NotEqual(0, NumericUser(dockerfile));
        Assert.Equal("SIGTERM", dockerfile.Final.Last("STOPSIGNAL"));
        Assert.DoesNotContain(dockerfile.Final.All("RUN"), r => r.Contains("dotnet ", StringComparison.Ordinal));
        Assert.Contains(program, dockerfile.Final.ExecEntryPoint()[^1], StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void The_build_stage_publishes_the_program_in_Release_and_the_image_runs_the_dll_it_copies_from_there(string path, string project, string program)
    {
        var dockerfile = Load(path);
        var publish = PublishStep.Of(dockerfile);
        var build = Assert.Single(dockerfile.Stages, s => s.All("RUN").Any(r => r.StartsWith("dotnet publish ", StringComparison.Ordinal)));

        Assert.StartsWith(Sdk, build.BaseImage, StringComparison.Ordinal);
        Assert.NotSame(build, dockerfile.Final);
        Assert.Equal("Release", publish.Option("-c"));
        Assert.Equal(project, publish.Project);

        // ENTRYPOINT ["dotnet", "<folder>/<program>.dll"], the folder being where the final stage copied the publish output.
        var entry = dockerfile.Final.ExecEntryPoint();
        Assert.Equal(["dotnet", $"{publish.OutputDirectory}/{program}.dll"], entry);
        var copy = Assert.Single(dockerfile.Final.All("COPY"), c => c.StartsWith($"--from={build.Name} ", StringComparison.Ordinal));
        var (source, destination) = copy.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, var s, var d] ? (s, d) : (string.Empty, string.Empty);
        Assert.Equal(publish.OutputDirectory, source.TrimEnd('/'));
        var copiedTo = destination is "." or "./" ? dockerfile.Final.Last("WORKDIR") : destination.TrimEnd('/');
        Assert.Equal(publish.OutputDirectory, copiedTo);
    }
}
