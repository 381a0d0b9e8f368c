using BenchmarkDotNet.Attributes;

namespace DistGrad.Benchmarks.Micro;

/// <summary>Records the 1,000-op chain on 16-element tensors: the forward half of autograd's per-op overhead.</summary>
public class AutogradForwardBenchmarks
{
    private readonly Tensor _addend = AutogradChain.Addend();

    [Benchmark(Description = "autograd chain forward (1000 ops, 16 elements)")]
    public Tensor Forward() => AutogradChain.Forward(AutogradChain.Leaf(), _addend);
}
