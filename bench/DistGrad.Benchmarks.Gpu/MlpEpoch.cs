using System.Diagnostics;
using DistGrad.Data;
using DistGrad.Nn;
using DistGrad.Optim;

namespace DistGrad.Benchmarks.Gpu;

/// <summary>
/// One epoch of the README's MLP (784-256-128-10, SGD lr 0.1 momentum 0.9, batch 128) with the whole training set
/// moved to the device first and each batch picked there by index_select, as bench/gpu/torch_reference.py does.
/// </summary>
internal static class MlpEpoch
{
    private const int BatchSize = 128;

    public static string FindData()
    {
        const string installed = "/usr/share/datasets/fashion-mnist";
        if (File.Exists(Path.Combine(installed, "train-images-idx3-ubyte.gz")))
        {
            return installed;
        }

        var packed = Path.Combine(AppContext.BaseDirectory, "data", "fashion-mnist-subset");
        return Directory.Exists(packed) ? packed : FashionMnist.SubsetDirectory;
    }

    public static (double Seconds, double MeanLoss, int Samples) Run(Device device, string dataDirectory, int maxSamples)
    {
        var train = FashionMnist.Load(dataDirectory, train: true);
        var count = Math.Min(train.Count, maxSamples);
        var x = train.X.Narrow(0, 0, count).Reshape(count, 784).Contiguous().To(device);
        var y = train.Y.Narrow(0, 0, count).Contiguous().To(device);
        Generator.ManualSeed(0);
        var model = new Sequential(new Linear(784, 256), new ReLU(), new Linear(256, 128), new ReLU(), new Linear(128, 10)).To(device);
        var optimizer = new SGD(model.Parameters(), lr: 0.1, momentum: 0.9);
        var order = Enumerable.Range(0, count).ToArray();
        new Random(0).Shuffle(order);

        Devices.Synchronize(device);
        var clock = Stopwatch.StartNew();
        var total = Tensor.Zeros([], device: device);
        var batches = 0;
        for (var start = 0; start < count; start += BatchSize)
        {
            var index = Tensor.From(order[start..Math.Min(count, start + BatchSize)]).To(device);
            optimizer.ZeroGrad();
            var loss = Functional.CrossEntropy(model.Forward(x.IndexSelect(0, index)), y.IndexSelect(0, index));
            loss.Backward();
            optimizer.Step();
            using (Autograd.NoGrad())
            {
                total = total + loss.Detach();
            }

            batches++;
        }

        var meanLoss = total.Item() / batches;
        Devices.Synchronize(device);
        return (clock.Elapsed.TotalSeconds, meanLoss, count);
    }
}
