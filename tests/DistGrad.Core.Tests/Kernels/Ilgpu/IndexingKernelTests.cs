namespace DistGrad.Tests.Kernels.Ilgpu;

[Collection(IlgpuCollection.Name)]
public class IndexingKernelTests
{
    [Fact]
    public void Index_select_add_gather_and_scatter_add_match_the_cpu()
    {
        var x = OnBoth.Randn(1, DType.Float32, 5, 7, 3);
        var index = Tensor.From(new long[] { 4, 0, 4, 2 });
        OnBoth.Check(i => i[0].IndexSelect(0, i[1]), 0, x, index);
        OnBoth.Check(i => i[0].IndexSelect(1, i[1]), 0, x, index);
        OnBoth.Check(i => i[0].Transpose(0, 2).IndexSelect(2, i[1]), 0, x, index);
        var source = OnBoth.Randn(2, DType.Float32, 5, 4, 3);
        OnBoth.Check(i => i[0].IndexAdd(1, i[1], i[2]), 1e-6, x, index, source);

        var gatherIndex = Tensor.RandInt(0, 7, [5, 2, 3], new Generator(5));
        OnBoth.Check(i => i[0].Gather(1, i[1]), 0, x, gatherIndex);
        OnBoth.Check(i => i[0].Permute(2, 1, 0).Gather(1, i[1].Permute(2, 1, 0)), 0, x, gatherIndex);
        var updates = OnBoth.Randn(3, DType.Float32, 5, 2, 3);
        OnBoth.Check(i => i[0].ScatterAdd(1, i[1], i[2]), 1e-6, x, gatherIndex, updates);
        OnBoth.Check(i => Tensor.Embedding(i[0].Reshape(35, 3), i[1]), 0, x, index);
    }

    [Fact]
    public void Int64_and_float64_indexing_matches_the_cpu()
    {
        var x = Tensor.RandInt(-9, 9, [6, 4], new Generator(6));
        var index = Tensor.From(new long[] { 1, 1, 3 });
        OnBoth.Check(i => i[0].IndexSelect(1, i[1]), 0, x, index);
        OnBoth.Check(i => i[0].IndexAdd(1, i[1], i[0].IndexSelect(1, i[1])), 0, x, index);
        var d = OnBoth.Randn(7, DType.Float64, 6, 4);
        OnBoth.Check(i => i[0].Gather(0, i[1].Unsqueeze(0)), 0, d, index);
    }

    [Fact]
    public void An_index_out_of_range_is_reported_at_the_next_read()
    {
        var x = Tensor.Ones([3, 2]).To(OnBoth.Ilgpu);
        var bad = Tensor.From(new long[] { 0, 3 }).To(OnBoth.Ilgpu);
        var selected = x.IndexSelect(0, bad);
        Assert.Throws<IndexOutOfRangeException>(() => selected.ToArray<float>());
        Assert.Equal(6, x.Sum().Item());
    }

    [Fact]
    public void Masked_fill_select_and_scatter_match_the_cpu()
    {
        var x = OnBoth.Randn(8, DType.Float32, 4, 33);
        OnBoth.Check(i => i[0][i[0] > 0.5], 0, x);
        OnBoth.Check(i => i[0].T.MaskedSelect(i[0].T < 0), 0, x);
        OnBoth.Check(i => i[0].Clone().MaskedFillInPlace(i[0] > 0, Tensor.Scalar(-1f)), 0, x);
        OnBoth.Check(i => i[0][i[0] > 100], 0, x);
        OnBoth.Check(
            i =>
            {
                var t = i[0].Clone();
                t[t < 0] = Tensor.Zeros([(int)(i[0] < 0).Sum().Item()], device: t.Device) + 2;
                return t;
            },
            0,
            x);
    }
}
