using System.Globalization;
using DistGrad.Benchmarks;

// dotnet run --project bench/DistGrad.Benchmarks -c Release -- fashion-mnist {mlp|cnn} [--epochs N] [--seed S] [--lr R] [--batch B] [--data DIR]
if (args.Length >= 2 && args[0] == "fashion-mnist")
{
    string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    var epochs = Option("--epochs") is { } e ? int.Parse(e, CultureInfo.InvariantCulture) : (int?)null;
    var seed = Option("--seed") is { } s ? long.Parse(s, CultureInfo.InvariantCulture) : 0;
    var lr = Option("--lr") is { } r ? double.Parse(r, CultureInfo.InvariantCulture) : (double?)null;
    var batch = Option("--batch") is { } b ? int.Parse(b, CultureInfo.InvariantCulture) : (int?)null;
    return FashionMnistAccuracy.Run(args[1], epochs, seed, lr, batch, Option("--data"));
}

Console.Error.WriteLine("usage: DistGrad.Benchmarks fashion-mnist {mlp|cnn} [--epochs N] [--seed S] [--lr R] [--batch B] [--data DIR]");
return 2;
