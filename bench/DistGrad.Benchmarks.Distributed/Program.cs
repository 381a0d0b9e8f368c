using System.Globalization;
using DistGrad.Benchmarks.Distributed;

// dotnet run --project bench/DistGrad.Benchmarks.Distributed -c Release -- allreduce [--world 2] [--sizes-mib 4,16,64] [--reps 10] [--tls]
// dotnet run --project bench/DistGrad.Benchmarks.Distributed -c Release -- train [coordinator train options]
// dotnet run --project bench/DistGrad.Benchmarks.Distributed -c Release -- checkpoint [DIR]
// dotnet run --project bench/DistGrad.Benchmarks.Distributed -c Release -- pipeline [extra coordinator train options]
switch (args.FirstOrDefault())
{
    case "allreduce":
        string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        var world = int.Parse(Option("--world") ?? "2", CultureInfo.InvariantCulture);
        var sizes = (Option("--sizes-mib") ?? "4,16,64").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var reps = int.Parse(Option("--reps") ?? "10", CultureInfo.InvariantCulture);
        await AllReduceCommand.RunAsync(world, sizes, reps, tls: args.Contains("--tls"));
        return 0;
    case "train":
        return await TrainingThroughput.RunAsync(args[1..]);
    case "pipeline":
        return await PipelineBenchmark.RunAsync(args[1..]);
    case "checkpoint":
        return CheckpointWriteBenchmark.Run(args.Length > 1 ? args[1] : null);
    default:
        Console.Error.WriteLine("usage: DistGrad.Benchmarks.Distributed allreduce [--world N] [--sizes-mib 4,16,64] [--reps R] [--tls] | train [coordinator train options] | checkpoint [DIR] | pipeline [train options]");
        return 2;
}
