using DistGrad.Optim;

namespace DistGrad.Distributed;

/// <summary>Builds the optimizer a job names over a replica's parameters.</summary>
public static class OptimizerFactory
{
    public static IReadOnlyList<string> Names { get; } = ["sgd", "adam", "adamw"];

    public static Optimizer Create(JobSpec spec, IEnumerable<Tensor> parameters) => spec.Optimizer switch
    {
        "sgd" => new SGD(parameters, spec.LearningRate, momentum: spec.Momentum, weightDecay: spec.WeightDecay),
        "adam" => new Adam(parameters, spec.LearningRate, weightDecay: spec.WeightDecay),
        "adamw" => new AdamW(parameters, spec.LearningRate, weightDecay: spec.WeightDecay),
        _ => throw new ArgumentException($"unknown optimizer '{spec.Optimizer}' (known: {string.Join(", ", Names)})"),
    };
}
