using System.CommandLine;
using System.Reflection;
using DistGrad.Distributed.Cli;
using DistGrad.Distributed.Config;
using DistGrad.Distributed.Running;

namespace DistGrad.Distributed;

/// <summary>
/// A training program's whole command line: <c>train</c> (coordinator; an embedded local cluster unless
/// <c>--cluster</c>) and <c>worker</c> (joins a cluster and runs the program's jobs), so one binary or image
/// is deployed to every node. A user's <c>Main</c> is one line: <c>return DistGradApp.Run(args, MyJobs.Job);</c>
/// </summary>
public static class DistGradApp
{
    /// <summary>Runs the command line; returns the exit code (0 done, 1 the job or node failed, 2 a usage error).</summary>
    public static int Run(string[] args, params TrainingJob[] jobs) =>
        RunAsync(args, jobs, Console.Out, Console.Error).GetAwaiter().GetResult();

    /// <summary>Runs the command line, writing to <paramref name="output"/> and <paramref name="error"/>; returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, IReadOnlyList<TrainingJob> jobs, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(jobs);
        var program = Assembly.GetEntryAssembly()?.GetName().Name ?? "distgrad";
        JobCatalog catalog;
        try
        {
            catalog = new JobCatalog(jobs);
        }
        catch (ArgumentException e)
        {
            error.WriteLine($"{program}: {e.Message}");
            return 2;
        }

        var train = TrainOptionsParser.CreateCommand();
        var worker = WorkerOptionsParser.CreateCommand();
        var certs = CertsCommand.CreateCommand();
        var root = new RootCommand($"{program}: trains {(catalog.Names.Count == 0 ? "the jobs of --job-assembly" : "the jobs " + string.Join(", ", catalog.Names))} on a DistGrad cluster.")
        {
            train,
            worker,
            certs,
        };
        var result = root.Parse(args);
        var command = result.CommandResult.Command;
        var invocation = new InvocationConfiguration { Output = output, Error = error };
        if (args.Any(a => a is "--help" or "-h" or "-?"))
        {
            return await result.InvokeAsync(invocation).ConfigureAwait(false);
        }

        if (result.Errors.Count > 0)
        {
            var where = command == root ? program : $"{program} {command.Name}";
            error.WriteLine($"{where}: {string.Join("; ", result.Errors.Select(e => e.Message.TrimEnd('.')))} (see {where} --help)");
            return 2;
        }

        if (command == root)
        {
            await root.Parse(["--help"]).InvokeAsync(invocation).ConfigureAwait(false);
            return 2;
        }

        var rest = args.SkipWhile(a => a != command.Name).Skip(1).ToArray();
        try
        {
            if (command == certs)
            {
                return CertsCommand.Run(result, output);
            }

            var sources = ConfigurationSources.Load(result.GetValue<string>("--config"), Environment.GetEnvironmentVariables());
            var all = catalog.With((result.GetValue<string[]>("--job-assembly") ?? []).SelectMany(JobAssembly.Load));
            var printConfig = result.GetValue<bool>("--print-config");
            if (command == train)
            {
                var options = TrainOptionsParser.Parse(rest, all, sources);
                if (printConfig)
                {
                    output.WriteLine(TrainOptionsParser.Describe(options));
                    output.WriteLine(ClusterConfig.For(ClusterConfig.CoordinatorRole, options.Network, overrides: options.AkkaOverrides, secure: !options.UseCluster || !options.Tls.Insecure).GetConfig("akka").ToString(includeFallback: true));
                    return 0;
                }

                var outcome = await TrainCommand.RunAsync(all, options, output, interactive: Interactive(output)).ConfigureAwait(false);
                if (!outcome.Succeeded)
                {
                    error.WriteLine($"{program} train: job failed: {outcome.Error}");
                    return 1;
                }

                return 0;
            }

            var workerOptions = WorkerOptionsParser.Parse(rest, sources);
            if (workerOptions.Job is { } only)
            {
                all = new JobCatalog([all.Find(only) ?? throw new UsageException($"--job '{only}' is not a job of this program (jobs: {(all.Names.Count == 0 ? "none" : string.Join(", ", all.Names))})")]);
            }

            if (printConfig)
            {
                output.WriteLine(ClusterConfig.For(ClusterConfig.WorkerRole, workerOptions.Network, overrides: workerOptions.AkkaOverrides, secure: !workerOptions.Tls.Insecure).GetConfig("akka").ToString(includeFallback: true));
                return 0;
            }

            return await WorkerCommand.RunAsync(all, workerOptions, output, error).ConfigureAwait(false);
        }
        catch (Exception e) when (e is UsageException or ArgumentException)
        {
            error.WriteLine($"{program} {command.Name}: {e.Message}");
            return 2;
        }
    }

    /// <summary>A live progress bar only on a terminal, and never under CI (whose logs want plain lines).</summary>
    private static bool Interactive(TextWriter output) =>
        output == Console.Out && !Console.IsOutputRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));
}
