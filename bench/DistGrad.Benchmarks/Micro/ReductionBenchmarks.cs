using BenchmarkDotNet.Attributes;

namespace DistGrad.Benchmarks.Micro;

/// <summary>Full reductions over 1M floats and reductions along one dim of a [1024, 1024] matrix.</summary>
public class ReductionBenchmarks
{
    private Tensor _x = null!;
    private Tensor _matrix = null!;

    [GlobalSetup]
    public void Setup()
    {
        var generator = new Generator(0);
        _x = Tensor.Randn([1 << 20], generator: generator);
        _matrix = Tensor.Randn([1024, 1024], generator: generator);
    }

    [Benchmark(Description = "sum 1M")]
    public Tensor Sum() => _x.Sum();

    [Benchmark(Description = "mean 1M")]
    public Tensor Mean() => _x.Mean();

    [Benchmark(Description = "max 1M")]
    public Tensor Max() => _x.Max();

    [Benchmark(Description = "sum dim0 [1024,1024]")]
    public Tensor SumDim0() => _matrix.Sum(0);

    [Benchmark(Description = "sum dim1 [1024,1024]")]
    public Tensor SumDim1() => _matrix.Sum(1);

    [Benchmark(Description = "argmax dim1 [1024,1024]")]
    public Tensor ArgMaxDim1() => _matrix.ArgMax(1);
}
