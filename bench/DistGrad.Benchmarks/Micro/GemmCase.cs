namespace DistGrad.Benchmarks.Micro;

/// <summary>
/// One matrix product [M, K] × [K, N]. A transposed operand is made as the transpose of a contiguous matrix,
/// the strided view Linear's x·Wᵀ and its backward hand to matmul. The name is the workload key shared
/// with bench/reference/micro.py.
/// </summary>
public sealed record GemmCase(string Name, int M, int K, int N, bool TransposeA = false, bool TransposeB = false)
{
    /// <summary>Square products, then the MLP's (784-256-128-10, batch 128): forward x·Wᵀ, input grad g·W, weight grad gᵀ·x.</summary>
    public static IEnumerable<GemmCase> All() =>
    [
        new("256", 256, 256, 256),
        new("512", 512, 512, 512),
        new("1024", 1024, 1024, 1024),
        new("2048", 2048, 2048, 2048),
        new("fc1.fwd 128x784.(256x784)T", 128, 784, 256, TransposeB: true),
        new("fc1.wgrad (128x256)T.128x784", 256, 128, 784, TransposeA: true),
        new("fc2.fwd 128x256.(128x256)T", 128, 256, 128, TransposeB: true),
        new("fc2.dgrad 128x128.128x256", 128, 128, 256),
        new("fc2.wgrad (128x128)T.128x256", 128, 128, 256, TransposeA: true),
        new("fc3.fwd 128x128.(10x128)T", 128, 128, 10, TransposeB: true),
        new("fc3.dgrad 128x10.10x128", 128, 10, 128),
        new("fc3.wgrad (128x10)T.128x128", 10, 128, 128, TransposeA: true),
    ];

    public Tensor Left(Generator generator) => TransposeA ? Tensor.Randn([K, M], generator: generator).T : Tensor.Randn([M, K], generator: generator);

    public Tensor Right(Generator generator) => TransposeB ? Tensor.Randn([N, K], generator: generator).T : Tensor.Randn([K, N], generator: generator);

    public override string ToString() => Name;
}
