using System.Globalization;
using DistGrad.Benchmarks;

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

    // overhead [--repetitions N]
    case "overhead":
        return AutogradOverhead.Run(Option("--repetitions") is { } n ? int.Parse(n, CultureInfo.InvariantCulture) : 200);

    default:
        Console.Error.WriteLine("""
            usage: DistGrad.Benchmarks fashion-mnist {mlp|cnn} [--epochs N] [--seed S] [--lr R] [--batch B] [--data DIR]
                   DistGrad.Benchmarks overhead [--repetitions N]
            """);
        return 2;
}
