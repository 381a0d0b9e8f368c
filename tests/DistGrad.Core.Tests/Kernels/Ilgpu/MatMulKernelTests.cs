namespace DistGrad.Tests.Kernels.Ilgpu;

[Collection(IlgpuCollection.Name)]
public class MatMulKernelTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(7, 5, 3)]
    [InlineData(33, 17, 19)]
    [InlineData(2, 40, 9)]
    public void Matrix_products_match_the_cpu_for_odd_sizes(int m, int k, int n)
    {
        var a = OnBoth.Randn(m, DType.Float32, m, k);
        var b = OnBoth.Randn(n, DType.Float32, k, n);
        OnBoth.Check(i => i[0].Mm(i[1]), 1e-5, a, b);
    }

    [Fact]
    public void Transposed_broadcast_and_batched_operands_are_read_through_their_strides()
    {
        var a = OnBoth.Randn(1, DType.Float32, 9, 6);
        var b = OnBoth.Randn(2, DType.Float32, 9, 5);
        OnBoth.Check(i => i[0].T.Mm(i[1]), 1e-5, a, b);
        OnBoth.Check(i => i[1].T.Mm(i[0]), 1e-5, a, b);
        var batch = OnBoth.Randn(3, DType.Float32, 3, 4, 9);
        OnBoth.Check(i => i[0].Bmm(i[1].Unsqueeze(0).Expand(3, 9, 6)), 1e-5, batch, a);
        OnBoth.Check(i => i[0].MatMul(i[1]), 1e-5, batch, a);
        OnBoth.Check(i => i[0].Transpose(1, 2).Bmm(i[0]), 1e-5, batch);
    }

    [Fact]
    public void Float64_int64_vector_and_empty_products_match_the_cpu()
    {
        var a = OnBoth.Randn(4, DType.Float64, 7, 33);
        var b = OnBoth.Randn(5, DType.Float64, 33, 3);
        OnBoth.Check(i => i[0].Mm(i[1]), 1e-12, a, b);
        OnBoth.Check(i => i[0].Mv(i[1].Select(1, 0)), 1e-12, a, b);
        OnBoth.Check(i => i[1].Select(1, 1).Dot(i[1].Select(1, 2)), 1e-12, a, b);
        var la = Tensor.RandInt(-3, 4, [5, 6], new Generator(1));
        var lb = Tensor.RandInt(-3, 4, [6, 2], new Generator(2));
        OnBoth.Check(i => i[0].Mm(i[1]), 0, la, lb);
        OnBoth.Check(i => i[0].Mm(i[1]), 0, Tensor.Zeros([3, 0]), Tensor.Zeros([0, 4]));
    }
}
