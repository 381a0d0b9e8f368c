using BenchmarkDotNet.Attributes;

namespace DistGrad.Benchmarks.Micro;

/// <summary>
/// The benchmark CNN's second convolution (32→32 channels, 3×3, padding 1) on its input at batch 64,
/// [64, 32, 14, 14]: forward alone, and forward plus backward to input, weight and bias.
/// </summary>
public class ConvBenchmarks
{
    private Tensor _input = null!;
    private Tensor _weight = null!;
    private Tensor _bias = null!;

    [GlobalSetup]
    public void Setup()
    {
        var generator = new Generator(0);
        _input = Tensor.Randn([64, 32, 14, 14], requiresGrad: true, generator: generator);
        _weight = Tensor.Randn([32, 32, 3, 3], requiresGrad: true, generator: generator);
        _bias = Tensor.Randn([32], requiresGrad: true, generator: generator);
    }

    [Benchmark(Description = "conv2d fwd [64,32,14,14] k3x3x32")]
    public Tensor Forward()
    {
        using (Autograd.NoGrad())
        {
            return Tensor.Conv2d(_input, _weight, _bias, padding: 1);
        }
    }

    [Benchmark(Description = "conv2d fwd+bwd [64,32,14,14] k3x3x32")]
    public Tensor? ForwardBackward()
    {
        _input.Grad = _weight.Grad = _bias.Grad = null;
        Tensor.Conv2d(_input, _weight, _bias, padding: 1).Sum().Backward();
        return _weight.Grad;
    }
}
