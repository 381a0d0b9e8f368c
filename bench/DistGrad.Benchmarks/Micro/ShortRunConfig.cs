using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using Perfolizer.Horology;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace DistGrad.Benchmarks.Micro;

/// <summary>
/// BenchmarkDotNet settings sized so the whole compare fits in about ten minutes on two cores: one launch
/// in this process, two warmups and seven 150 ms iterations per benchmark. Medians are the figures reported,
/// which a shared, noisy machine disturbs less than means.
/// </summary>
internal static class ShortRunConfig
{
    public static IConfig Create(string artifactsPath) =>
        ManualConfig.CreateEmpty()
            .AddJob(Job.Default
                .WithToolchain(InProcessEmitToolchain.Instance)
                .WithLaunchCount(1)
                .WithWarmupCount(2)
                .WithIterationCount(7)
                .WithIterationTime(TimeInterval.FromMilliseconds(150))
                .WithId("short"))
            .AddLogger(ConsoleLogger.Default)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddColumn(StatisticColumn.Median)
            .WithArtifactsPath(artifactsPath)
            .WithOptions(ConfigOptions.JoinSummary);
}
