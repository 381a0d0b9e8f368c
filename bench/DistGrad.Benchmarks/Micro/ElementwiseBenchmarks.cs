using BenchmarkDotNet.Attributes;

namespace DistGrad.Benchmarks.Micro;

/// <summary>Elementwise arithmetic on 1M floats, and a bias-style broadcast add [128, 256] + [256].</summary>
public class ElementwiseBenchmarks
{
    private const int Million = 1 << 20;

    private Tensor _x = null!;
    private Tensor _y = null!;
    private Tensor _matrix = null!;
    private Tensor _row = null!;

    [GlobalSetup]
    public void Setup()
    {
        var generator = new Generator(0);
        _x = Tensor.Randn([Million], generator: generator);
        _y = Tensor.Randn([Million], generator: generator);
        _matrix = Tensor.Randn([128, 256], generator: generator);
        _row = Tensor.Randn([256], generator: generator);
    }

    [Benchmark(Description = "mul 1M")]
    public Tensor Mul() => _x * _y;

    [Benchmark(Description = "add 1M")]
    public Tensor Add() => _x + _y;

    [Benchmark(Description = "mul scalar 1M")]
    public Tensor MulScalar() => _x * 1.5f;

    [Benchmark(Description = "add broadcast [128,256]+[256]")]
    public Tensor AddBroadcast() => _matrix + _row;
}
