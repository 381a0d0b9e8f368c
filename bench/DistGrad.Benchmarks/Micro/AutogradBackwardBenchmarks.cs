using BenchmarkDotNet.Attributes;

namespace DistGrad.Benchmarks.Micro;

/// <summary>
/// Backward through the 1,000-op chain alone: a fresh graph is recorded before each invocation (outside the
/// timing), since a backward frees the graph it ran. One invocation per iteration, so more iterations.
/// </summary>
[InvocationCount(1)]
[IterationCount(40)]
public class AutogradBackwardBenchmarks
{
    private readonly Tensor _addend = AutogradChain.Addend();
    private Tensor _leaf = null!;
    private Tensor _output = null!;

    [IterationSetup]
    public void RecordGraph()
    {
        _leaf = AutogradChain.Leaf();
        _output = AutogradChain.Forward(_leaf, _addend);
    }

    [Benchmark(Description = "autograd chain backward (1000 ops, 16 elements)")]
    public Tensor? Backward()
    {
        _output.Backward();
        return _leaf.Grad;
    }
}
