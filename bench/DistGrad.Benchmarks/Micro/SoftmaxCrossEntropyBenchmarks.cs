using BenchmarkDotNet.Attributes;
using DistGrad.Nn;

namespace DistGrad.Benchmarks.Micro;

/// <summary>Softmax forward, and cross-entropy forward plus backward to the logits, at the MLP's [128, 10] and at [1024, 1000].</summary>
public class SoftmaxCrossEntropyBenchmarks
{
    private Tensor _small = null!;
    private Tensor _smallTarget = null!;
    private Tensor _large = null!;
    private Tensor _largeTarget = null!;

    [GlobalSetup]
    public void Setup()
    {
        var generator = new Generator(0);
        _small = Tensor.Randn([128, 10], requiresGrad: true, generator: generator);
        _smallTarget = Tensor.RandInt(0, 10, [128], generator);
        _large = Tensor.Randn([1024, 1000], requiresGrad: true, generator: generator);
        _largeTarget = Tensor.RandInt(0, 1000, [1024], generator);
    }

    [Benchmark(Description = "softmax [128,10]")]
    public Tensor SoftmaxSmall() => _small.Detach().Softmax(1);

    [Benchmark(Description = "softmax [1024,1000]")]
    public Tensor SoftmaxLarge() => _large.Detach().Softmax(1);

    [Benchmark(Description = "cross_entropy fwd+bwd [128,10]")]
    public Tensor? CrossEntropySmall() => ForwardBackward(_small, _smallTarget);

    [Benchmark(Description = "cross_entropy fwd+bwd [1024,1000]")]
    public Tensor? CrossEntropyLarge() => ForwardBackward(_large, _largeTarget);

    private static Tensor? ForwardBackward(Tensor logits, Tensor target)
    {
        logits.Grad = null;
        Functional.CrossEntropy(logits, target).Backward();
        return logits.Grad;
    }
}
