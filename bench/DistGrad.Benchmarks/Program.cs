using System.Globalization;
using DistGrad.Benchmarks;
using DistGrad.Benchmarks.Micro;

string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

switch (args.FirstOrDefault())
{
    // fashion-mnist {mlp|cnn} [--epochs N] [--seed S] [--lr R] [--batch B] [--data DIR]
    case "fashion-mnist" when args.Length >= 2:
        var epochs = Option("--epochs") is { } e ? int.Parse(e, CultureInfo.InvariantCulture) : (int?)null;
        var seed = Option("--seed") is { } s ? long.Parse(s, CultureInfo.InvariantCulture) : 0;
        var lr = Option("--lr") is { } r ? double.Parse(r, CultureInfo.InvariantCulture) : (double?)null;
        var batch = Option("--batch") is { } b ? int.Parse(b, CultureInfo.InvariantCulture) : (int?)null;
        return FashionMnistAccuracy.Run(args[1], epochs, seed, lr, batch, Option("--data"));

    // micro [--out FILE] [BenchmarkDotNet options, e.g. --filter '*Gemm*']
    case "micro":
        var rest = args.Skip(1).ToList();
        if (rest.IndexOf("--out") is var at and >= 0)
        {
            rest.RemoveRange(at, Math.Min(2, rest.Count - at));
        }

        return MicroSuite.Run([.. rest], Option("--out"));

    // epoch [--data DIR] [--out FILE]
    case "epoch":
        return EpochBenchmark.Run(Option("--data"), Option("--out"));

    // report DISTGRAD.jsonl PYTORCH.jsonl
    case "report" when args.Length >= 3:
        return CompareReport.Run(args[1], args[2]);

    // overhead [--repetitions N]
    case "overhead":
        return AutogradOverhead.Run(Option("--repetitions") is { } n ? int.Parse(n, CultureInfo.InvariantCulture) : 1000);

    default:
        Console.Error.WriteLine("""
            usage: DistGrad.Benchmarks fashion-mnist {mlp|cnn} [--epochs N] [--seed S] [--lr R] [--batch B] [--data DIR]
                   DistGrad.Benchmarks micro [--out FILE] [BenchmarkDotNet options, e.g. --filter '*Gemm*']
                   DistGrad.Benchmarks epoch [--data DIR] [--out FILE]
                   DistGrad.Benchmarks report DISTGRAD.jsonl PYTORCH.jsonl
                   DistGrad.Benchmarks overhead [--repetitions N]
            the whole comparison with PyTorch: bash bench/run-all.sh
            """);
        return 2;
}
