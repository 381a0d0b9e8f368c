using DistGrad.Distributed.Tests.Cluster;
using DistGrad.Distributed.Tests.Processes;
using DistGrad.Serialization;

namespace DistGrad.Distributed.Tests.Packages;

/// <summary>
/// DistGrad as a user gets it: the NuGet packages and the distgrad tool from a folder feed, and a training
/// program of their own (Packages/UserProgram) built outside the repository against the packages alone.
/// </summary>
[Collection(ClusterCollection.Name)]
public class PackageTests(PackageFeed feed) : IClassFixture<PackageFeed>
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);

    [Fact]
    public void A_user_program_trains_d2_to_d1_s_parameters_and_its_hook_runs_on_every_worker_each_step()
    {
        using var two = new TempDirectory();
        using var one = new TempDirectory();
        using var hooks = new TempDirectory();

        Run(["train", "--data-parallel", "2", "--out", two.Path], hooks.Path);
        Run(["train", "--data-parallel", "1", "--out", one.Path], null);

        var d2 = SafeTensors.Load(Path.Combine(two.Path, "final.safetensors"));
        var d1 = SafeTensors.Load(Path.Combine(one.Path, "final.safetensors"));
        Assert.Equal(["0.bias", "0.weight", "2.bias", "2.weight"], d2.Keys.Order());
        Assert.All(d1.Keys, k => Assert.True((float)(d1[k] - d2[k]).Abs().Max().Item() <= 1e-5f, $"{k} differs between D=2 and D=1"));
        // The job's 6 steps (its own default), once per step on each of the two workers.
        foreach (var rank in new[] { 0, 1 })
        {
            Assert.Equal(["0", "1", "2", "3", "4", "5"], File.ReadAllLines(Path.Combine(hooks.Path, $"rank{rank}.txt")));
        }

        Assert.Equal(2, Directory.GetFiles(hooks.Path).Length);
    }

    [Fact]
    public void The_package_raises_the_user_program_s_large_object_threshold()
    {
        var runtimeConfig = File.ReadAllText(Path.ChangeExtension(feed.UserProgram, ".runtimeconfig.json"));
        Assert.Contains("\"System.GC.LOHThreshold\": 268435456", runtimeConfig, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_program_as_a_coordinator_and_two_workers_ends_where_one_process_does()
    {
        using var cluster = new TempDirectory();
        using var single = new TempDirectory();
        var port = ChildProcess.FreePort();
        var seed = $"akka.tcp://distgrad@127.0.0.1:{port}";
        using var coordinator = ChildProcess.Start(feed.UserProgram, null, "train", "--cluster", "--seed-nodes", seed, "--port", $"{port}", "--out", cluster.Path);
        using var a = ChildProcess.Start(feed.UserProgram, null, "worker", "--seed-nodes", seed);
        using var b = ChildProcess.Start(feed.UserProgram, null, "worker", "--seed-nodes", seed);
        Assert.True(coordinator.WaitForExit(Limit), "the coordinator did not finish:\n" + coordinator.Output);
        Assert.True(coordinator.ExitCode == 0, coordinator.Output + "\nworker:\n" + a.Output);

        Run(["train", "--data-parallel", "1", "--local-nodes", "1", "--out", single.Path], null);

        var distributed = SafeTensors.Load(Path.Combine(cluster.Path, "final.safetensors"));
        var reference = SafeTensors.Load(Path.Combine(single.Path, "final.safetensors"));
        Assert.All(reference.Keys, k => Assert.True((float)(reference[k] - distributed[k]).Abs().Max().Item() <= 1e-5f, $"{k} differs from the single process"));
    }

    [Fact]
    public void A_worker_running_another_build_of_the_job_fails_it_before_step_1_naming_both_fingerprints()
    {
        using var dir = new TempDirectory();
        var port = ChildProcess.FreePort();
        var seed = $"akka.tcp://distgrad@127.0.0.1:{port}";
        using var coordinator = ChildProcess.Start(feed.UserProgram, null, "train", "--cluster", "--seed-nodes", seed, "--port", $"{port}", "--out", dir.Path);
        using var a = ChildProcess.Start(feed.UserProgram, null, "worker", "--seed-nodes", seed);
        using var b = ChildProcess.Start(feed.UserProgram, new Dictionary<string, string> { ["USER_HIDDEN"] = "24" }, "worker", "--seed-nodes", seed);

        Assert.True(coordinator.WaitForExit(Limit), "the coordinator hung:\n" + coordinator.Output);
        Assert.Equal(1, coordinator.ExitCode);
        Assert.Matches(@"worker rank [01] on akka\.ssl\.tcp://distgrad@127\.0\.0\.1:\d+ built a different job \(parameter 0: 0\.weight\[16,8\] vs 0\.weight\[24,8\]\)", coordinator.Output);
        Assert.Matches("coordinator fingerprint [0-9a-f]{16} .*, worker's [0-9a-f]{16} ", coordinator.Output);
        Assert.DoesNotContain("step 1/", coordinator.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_distgrad_tool_installs_from_the_feed_and_trains()
    {
        using var tools = new TempDirectory();
        using var run = new TempDirectory();
        PackageFeed.Dotnet(feed.Root, "tool", "install", "DistGrad.Tool", "--version", feed.Version, "--tool-path", tools.Path, "--add-source", feed.Feed);
        var distgrad = Path.Combine(tools.Path, "distgrad");
        Assert.True(File.Exists(distgrad), $"the tool did not install a distgrad command in {tools.Path}");

        using var process = new System.Diagnostics.Process
        {
            StartInfo = new System.Diagnostics.ProcessStartInfo(distgrad, ["train", "--steps", "5", "--out", run.Path]) { RedirectStandardOutput = true, RedirectStandardError = true },
        };
        process.Start();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(Limit);
        Assert.True(process.ExitCode == 0, await output + await error);
        Assert.Contains("done: 5 steps", await output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(run.Path, "final.safetensors")));
    }

    private void Run(string[] args, string? hookLog)
    {
        var environment = hookLog == null ? null : new Dictionary<string, string> { ["HOOK_LOG"] = hookLog };
        using var process = ChildProcess.Start(feed.UserProgram, environment, args);
        Assert.True(process.WaitForExit(Limit), $"{string.Join(' ', args)} did not finish:\n{process.Output}");
        Assert.True(process.ExitCode == 0, process.Output);
    }
}
