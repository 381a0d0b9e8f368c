using BenchmarkDotNet.Attributes;

namespace DistGrad.Benchmarks.Micro;

/// <summary>Float32 matrix products of square and MLP shapes (no autograd: the operands do not require grad).</summary>
public class GemmBenchmarks
{
    private Tensor _a = null!;
    private Tensor _b = null!;

    [ParamsSource(nameof(Cases))]
    public GemmCase Case { get; set; } = null!;

    public static IEnumerable<GemmCase> Cases() => GemmCase.All();

    [GlobalSetup]
    public void Setup()
    {
        var generator = new Generator(0);
        _a = Case.Left(generator);
        _b = Case.Right(generator);
    }

    [Benchmark(Description = "gemm")]
    public Tensor MatMul() => _a.MatMul(_b);
}
