using System.Diagnostics;
using DistGrad.Distributed.Tests.Processes;

namespace DistGrad.Distributed.Tests.Packages;

/// <summary>
/// Packs DistGrad.Core, DistGrad.Distributed and DistGrad.Tool from a copy of the repository's sources into a
/// folder feed, then builds the user program of Packages/UserProgram in a fresh project outside the repository
/// that references the packages only. The version is unique per run, so NuGet's cache never serves an old build.
/// </summary>
public sealed class PackageFeed : IDisposable
{
    private static readonly TimeSpan CommandLimit = TimeSpan.FromMinutes(6);

    public PackageFeed()
    {
        Version = $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmssfff}";
        Root = Directory.CreateTempSubdirectory("distgrad-packages-").FullName;
        Feed = Path.Combine(Root, "feed");
        var sources = Path.Combine(Root, "sources");
        CopySources(ChildProcess.RepositoryRoot, sources);
        foreach (var project in new[] { "core/DistGrad.Core.csproj", "actors/DistGrad.Distributed.csproj", "coordinator/DistGrad.Coordinator.csproj" })
        {
            Dotnet(sources, "pack", project, "-c", "Release", "-o", Feed, $"-p:Version={Version}");
        }

        UserProject = Path.Combine(Root, "user");
        Directory.CreateDirectory(UserProject);
        File.Copy(Path.Combine(ChildProcess.RepositoryRoot, "tests", "DistGrad.Distributed.Tests", "Packages", "UserProgram", "Program.cs"), Path.Combine(UserProject, "Program.cs"));
        File.WriteAllText(Path.Combine(UserProject, "UserProgram.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="DistGrad.Distributed" Version="{Version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(Root, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="distgrad-test-feed" value="{Feed}" />
              </packageSources>
            </configuration>
            """);
        Dotnet(UserProject, "build", "-c", "Release", "-o", Path.Combine(UserProject, "out"));
        UserProgram = Path.Combine(UserProject, "out", "UserProgram.dll");
    }

    public string Version { get; }

    /// <summary>The temporary folder everything lives in (outside the repository).</summary>
    public string Root { get; }

    public string Feed { get; }

    public string UserProject { get; }

    /// <summary>The user's program, built from the packages.</summary>
    public string UserProgram { get; }

    /// <summary>Runs dotnet with <paramref name="args"/> in <paramref name="directory"/>; fails the test with its output when it fails.</summary>
    public static string Dotnet(string directory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(CommandLimit))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"dotnet {string.Join(' ', args)} did not finish in {CommandLimit}");
        }

        var text = output.Result + error.Result;
        Assert.True(process.ExitCode == 0, $"dotnet {string.Join(' ', args)} failed in {directory}:\n{text}");
        return text;
    }

    public void Dispose()
    {
        Directory.Delete(Root, recursive: true);
        // The unique test versions would pile up in NuGet's package cache.
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var id in new[] { "distgrad.core", "distgrad.distributed", "distgrad.tool" })
        {
            var folder = Path.Combine(cache, id, Version);
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    /// <summary>The sources packing needs, without any bin/ or obj/ (the working tree's are in use by other tests).</summary>
    private static void CopySources(string repository, string destination)
    {
        foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props", "global.json", "README.md", "LICENSE" })
        {
            if (File.Exists(Path.Combine(repository, file)))
            {
                Directory.CreateDirectory(destination);
                File.Copy(Path.Combine(repository, file), Path.Combine(destination, file));
            }
        }

        foreach (var folder in new[] { "core", "actors", "coordinator", "data" })
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(repository, folder), "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(repository, file);
                if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
                {
                    continue;
                }

                var target = Path.Combine(destination, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
        }
    }
}
