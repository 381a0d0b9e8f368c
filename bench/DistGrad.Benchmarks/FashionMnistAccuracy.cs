using System.Diagnostics;
using System.Globalization;
using DistGrad.Data;
using DistGrad.Nn;
using DistGrad.Optim;

namespace DistGrad.Benchmarks;

/// <summary>
/// Trains the MLP (5 epochs, SGD lr 0.1 momentum 0.9, batch 128) or the CNN (3 epochs, lr 0.05, batch 64) on
/// Fashion-MNIST and prints one line comparable with the PyTorch reference's.
/// </summary>
internal static class FashionMnistAccuracy
{
    public static int Run(string model, int? epochs, long seed, double? lr, int? batch, string? dataDirectory)
    {
        var isMlp = model switch
        {
            "mlp" => true,
            "cnn" => false,
            _ => throw new ArgumentException($"unknown model '{model}': use mlp or cnn"),
        };
        var epochCount = epochs ?? (isMlp ? 5 : 3);
        var rate = lr ?? (isMlp ? 0.1 : 0.05);
        var batchSize = batch ?? (isMlp ? 128 : 64);
        var directory = dataDirectory ?? FashionMnist.DefaultDirectory();

        Generator.ManualSeed(seed);
        var train = FashionMnist.Load(directory, train: true);
        var test = FashionMnist.Load(directory, train: false);
        var network = isMlp ? Models.Mlp() : Models.Cnn();
        var optimizer = new SGD(network.Parameters(), rate, momentum: 0.9);
        var loader = new DataLoader(train, batchSize, shuffle: true);

        var clock = Stopwatch.StartNew();
        for (var epoch = 0; epoch < epochCount; epoch++)
        {
            network.Train();
            foreach (var (xb, yb) in loader)
            {
                optimizer.ZeroGrad();
                var yPred = network.Forward(xb);
                var loss = Functional.CrossEntropy(yPred, yb);
                loss.Backward();
                optimizer.Step();
            }
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var accuracy = Accuracy(network, test);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"distgrad {model} epochs={epochCount} lr={rate} batch={batchSize} seed={seed} test_accuracy={accuracy:F4} train_seconds={seconds:F1} samples={train.Count}"));
        return 0;
    }

    private static double Accuracy(Module network, TensorDataset test)
    {
        network.Eval();
        var correct = 0L;
        using (Autograd.NoGrad())
        {
            foreach (var (xb, yb) in new DataLoader(test, batchSize: 1000))
            {
                correct += (long)network.Forward(xb).ArgMax(1).Eq(yb).Sum().Item();
            }
        }

        return correct / (double)test.Count;
    }
}
