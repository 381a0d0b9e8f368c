using DistGrad.Data;
using DistGrad.Nn;

namespace DistGrad.Distributed;

/// <summary>
/// DistGrad's own catalog (<c>--job mlp|cnn|mlp-wide</c>, or <c>--model</c> as before): jobs defined with the
/// same API a user's program uses, on Fashion-MNIST (the bundled subset, or the full IDX set with
/// <c>--dataset fashion-mnist --data-dir DIR</c>).
/// </summary>
public static class BuiltInJobs
{
    /// <summary>784-256-128-10 with ReLU on flattened images; parameters are 0.weight, 0.bias, ….</summary>
    public static TrainingJob Mlp { get; } = FashionMnistJob("mlp", "784-256-128-10 MLP on Fashion-MNIST", ctx => MlpModel(ctx.Generator), flatten: true);

    /// <summary>LeNet-style CNN (two 3×3 conv–ReLU–pool blocks of 32 channels, two linear layers) on [B, 1, 28, 28] images.</summary>
    public static TrainingJob Cnn { get; } = FashionMnistJob("cnn", "LeNet-style CNN on Fashion-MNIST", ctx => CnnModel(ctx.Generator), flatten: false);

    /// <summary>Two equal wide blocks (784-2048-784) and a classifier: 6.4 M parameters, the pipeline benchmarks' model.</summary>
    public static TrainingJob MlpWide { get; } = FashionMnistJob("mlp-wide", "two 784-2048-784 blocks and a classifier on Fashion-MNIST", ctx => MlpWideModel(ctx.Generator), flatten: true);

    public static IReadOnlyList<TrainingJob> All { get; } = [Mlp, Cnn, MlpWide];

    /// <summary>The built-in jobs as a catalog.</summary>
    public static JobCatalog Catalog() => new(All);

    public static Sequential MlpModel(Generator generator) => new(
        new Linear(784, 256, generator: generator), new ReLU(),
        new Linear(256, 128, generator: generator), new ReLU(),
        new Linear(128, 10, generator: generator));

    public static Sequential MlpWideModel(Generator generator) => new(
        new Linear(784, 2048, generator: generator), new ReLU(), new Linear(2048, 784, generator: generator), new ReLU(),
        new Linear(784, 2048, generator: generator), new ReLU(), new Linear(2048, 784, generator: generator), new ReLU(),
        new Linear(784, 10, generator: generator));

    public static Sequential CnnModel(Generator generator) => new(
        new Conv2d(1, 32, 3, padding: 1, generator: generator), new ReLU(), new MaxPool2d(2),
        new Conv2d(32, 32, 3, padding: 1, generator: generator), new ReLU(), new MaxPool2d(2),
        new Flatten(), new Linear(1568, 128, generator: generator), new ReLU(), new Linear(128, 10, generator: generator));

    /// <summary>A Fashion-MNIST classification job: the split the options name (<c>--dataset</c>, <c>--data-dir</c>), flattened to [N, 784] for MLPs.</summary>
    public static TrainingJob FashionMnistJob(string name, string description, Func<JobContext, Module> model, bool flatten) => new(name)
    {
        Description = description,
        Model = model,
        TrainingData = ctx => Images(ctx.Spec, train: true, flatten),
        TestData = ctx => Images(ctx.Spec, train: false, flatten),
    };

    private static TensorDataset Images(JobSpec spec, bool train, bool flatten)
    {
        var images = DatasetCatalog.Load(spec, train);
        return flatten ? new TensorDataset(images.X.Reshape(images.Count, -1), images.Y) : images;
    }
}
