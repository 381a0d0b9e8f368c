using DistGrad.Nn;

namespace DistGrad.Benchmarks;

/// <summary>The benchmark models, layer for layer as in bench/reference/train_fashion_mnist.py.</summary>
internal static class Models
{
    public static Sequential Mlp() => new(
        new Flatten(), new Linear(784, 256), new ReLU(), new Linear(256, 128), new ReLU(), new Linear(128, 10));

    /// <summary>LeNet-style with 3×3 convolutions: two conv–ReLU–pool stages of 32 channels, then two linear layers.</summary>
    public static Sequential Cnn() => new(
        new Conv2d(1, 32, 3, padding: 1), new ReLU(), new MaxPool2d(2),
        new Conv2d(32, 32, 3, padding: 1), new ReLU(), new MaxPool2d(2),
        new Flatten(), new Linear(1568, 128), new ReLU(), new Linear(128, 10));
}
