using DistGrad.Nn;

namespace DistGrad.Distributed.Jobs;

/// <summary>
/// The models a job can name. Every worker builds its replica from the name and the job's seed, so
/// replicas start equal without moving parameters; rank 0's are broadcast anyway to make sure.
/// </summary>
public static class ModelCatalog
{
    private static readonly Dictionary<string, Func<Generator, Module>> Factories = new(StringComparer.Ordinal)
    {
        ["mlp"] = Mlp,
        ["cnn"] = Cnn,
        ["mlp-wide"] = MlpWide,
    };

    private static readonly Lock Gate = new();

    public static IReadOnlyCollection<string> Names
    {
        get
        {
            lock (Gate)
            {
                return Factories.Keys.ToArray();
            }
        }
    }

    /// <summary>Adds a model that jobs can name (on every node that hosts workers).</summary>
    public static void Register(string name, Func<Generator, Module> factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);
        lock (Gate)
        {
            Factories[name] = factory;
        }
    }

    /// <summary>Builds <paramref name="name"/> with its parameters drawn from <paramref name="generator"/>.</summary>
    public static Module Create(string name, Generator generator)
    {
        Func<Generator, Module>? factory;
        lock (Gate)
        {
            Factories.TryGetValue(name, out factory);
        }

        return factory == null
            ? throw new ArgumentException($"unknown model '{name}' (known: {string.Join(", ", Names)})", nameof(name))
            : factory(generator);
    }

    /// <summary>784-256-128-10 with ReLU; its input is the flattened image, so parameters are 0.weight, 0.bias, ….</summary>
    public static Sequential Mlp(Generator generator) => new(
        new Linear(784, 256, generator: generator), new ReLU(),
        new Linear(256, 128, generator: generator), new ReLU(),
        new Linear(128, 10, generator: generator));

    /// <summary>
    /// Two equal wide blocks (784-2048-784, ReLU after each layer) and a classifier: 6.4 M parameters in
    /// halves that a two-stage pipeline cuts evenly by parameter count — the pipeline benchmarks' model.
    /// </summary>
    public static Sequential MlpWide(Generator generator) => new(
        new Linear(784, 2048, generator: generator), new ReLU(), new Linear(2048, 784, generator: generator), new ReLU(),
        new Linear(784, 2048, generator: generator), new ReLU(), new Linear(2048, 784, generator: generator), new ReLU(),
        new Linear(784, 10, generator: generator));

    /// <summary>LeNet-style: two 3×3 conv–ReLU–pool stages of 32 channels, then two linear layers; input [B, 1, 28, 28].</summary>
    public static Sequential Cnn(Generator generator) => new(
        new Conv2d(1, 32, 3, padding: 1, generator: generator), new ReLU(), new MaxPool2d(2),
        new Conv2d(32, 32, 3, padding: 1, generator: generator), new ReLU(), new MaxPool2d(2),
        new Flatten(), new Linear(1568, 128, generator: generator), new ReLU(), new Linear(128, 10, generator: generator));

    /// <summary>Whether the model takes flattened images ([B, 784]) rather than [B, 1, 28, 28].</summary>
    public static bool TakesFlatInput(Module model) => model is Sequential s && s.Children().FirstOrDefault() is Linear;
}
