using DistGrad.Nn;

namespace DistGrad.Benchmarks;

/// <summary>The benchmark models, layer for layer as in bench/reference/train_fashion_mnist.py.</summary>
internal static class Models
{
    public static Sequential Mlp() => new(
        new Flatten(), new Linear(784, 256), new ReLU(), new Linear(256, 128), new ReLU(), new Linear(128, 10));

    /// <summary>LeNet-style, widened: 16 and 32 channels of 5×5 convolutions with max pooling (the first padded to keep 28×28), then three linear layers.</summary>
    public static Sequential Cnn() => new(
        new Conv2d(1, 16, 5, padding: 2), new ReLU(), new MaxPool2d(2),
        new Conv2d(16, 32, 5), new ReLU(), new MaxPool2d(2),
        new Flatten(), new Linear(800, 120), new ReLU(), new Linear(120, 84), new ReLU(), new Linear(84, 10));
}
