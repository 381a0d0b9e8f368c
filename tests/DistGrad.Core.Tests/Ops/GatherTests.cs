using static DistGrad.Tests.Ops.LayerOpTestData;

namespace DistGrad.Tests.Ops;

/// <summary>IndexSelect, Embedding, Gather, ScatterAdd and IndexAdd against PyTorch 1.13, their gradients by finite differences, names and errors.</summary>
public class GatherTests
{
    [Fact]
    public void IndexSelectWithRepeatedIndicesMatchesPyTorch()
    {
        // x = pattern([2, 4, 3], 7, 5, 11); y = x.index_select(1, [3, 0, 3, 3, 1]); (y * pattern(y.shape, 3, 2, 5)).sum().backward()
        var x = Pattern([2, 4, 3], 7, 5, 11, requiresGrad: true);
        var y = x.IndexSelect(1, Tensor.From(new long[] { 3, 0, 3, 3, 1 }));
        Assert.Equal([2, 5, 3], y.Shape);
        Assert.Equal("IndexSelectBackward0", y.GradFn!.Name);
        AssertClose(
        [
            0.75, -0.25, -1.25, -1.25, 0.5, -0.5, 0.75, -0.25, -1.25, 0.75, -0.25, -1.25, 1.25, 0.25, -0.75, -0.25, -1.25, 0.5, 0.5, -0.5, 1.25,
            -0.25, -1.25, 0.5, -0.25, -1.25, 0.5, 0.25, -0.75, 1.0,
        ],
            y);
        (y * Pattern(y.Shape, 3, 2, 5)).Sum().Backward();
        AssertClose([0.5, 0.0, -0.5, -0.25, 0.5, 0.0, 0.0, 0.0, 0.0, -0.25, -0.5, 0.5, 0.5, 0.0, -0.5, -0.25, 0.5, 0.0, 0.0, 0.0, 0.0, -0.25, -0.5, 0.5], x.Grad!);
    }

    [Fact]
    public void IndexSelectEdgeShapes()
    {
        var x = Tensor.From(new[] { 5.0, 6.0 });
        Assert.Equal([6.0], x.IndexSelect(0, Tensor.Scalar(1L)).ToArray<double>());
        Assert.Equal([2, 1], Tensor.Zeros([2, 3]).IndexSelect(-1, Tensor.Scalar(1L)).Shape);
        Assert.Equal([2, 0], Tensor.Zeros([2, 3]).IndexSelect(1, Tensor.From(Array.Empty<long>())).Shape);
        var scalar = Tensor.Scalar(5.0);
        Assert.Equal([], scalar.IndexSelect(0, Tensor.From(new long[] { 0 })).Shape);
    }

    [Fact]
    public void EmbeddingAccumulatesRepeatedIndicesAsPyTorch()
    {
        // W = pattern([5, 3], 5, 3, 7); e = F.embedding([[1, 4, 1], [0, 1, 2]], W); (e * pattern(e.shape, 3, 2, 5)).sum().backward()
        var w = Pattern([5, 3], 5, 3, 7, requiresGrad: true);
        var indices = Tensor.From(new long[] { 1, 4, 1, 0, 1, 2 }, [2, 3]);
        var e = Tensor.Embedding(w, indices);
        Assert.Equal([2, 3, 3], e.Shape);
        Assert.Equal("EmbeddingBackward0", e.GradFn!.Name);
        AssertClose([-0.5, 0.75, 0.25, 0.25, -0.25, -0.75, -0.5, 0.75, 0.25, -0.75, 0.5, 0.0, -0.5, 0.75, 0.25, -0.25, -0.75, 0.5], e);
        var weights = Pattern(e.Shape, 3, 2, 5);
        (e * weights).Sum().Backward();
        AssertClose([0.0, -0.5, 0.25, -0.5, 0.5, 0.25, -0.5, 0.25, -0.25, 0.0, 0.0, 0.0, 0.5, 0.0, -0.5], w.Grad!);

        // padding_idx=1: the padding row gets no gradient.
        w.Grad = null;
        (Tensor.Embedding(w, indices, paddingIdx: 1) * weights).Sum().Backward();
        AssertClose([0.0, -0.5, 0.25, 0.0, 0.0, 0.0, -0.5, 0.25, -0.25, 0.0, 0.0, 0.0, 0.5, 0.0, -0.5], w.Grad!);
        w.Grad = null;
        (Tensor.Embedding(w, indices, paddingIdx: -4) * weights).Sum().Backward();
        AssertClose([0.0, -0.5, 0.25, 0.0, 0.0, 0.0, -0.5, 0.25, -0.25, 0.0, 0.0, 0.0, 0.5, 0.0, -0.5], w.Grad!);

        Assert.Equal([3], Tensor.Embedding(w, Tensor.Scalar(2L)).Shape);
    }

    [Fact]
    public void GatherMatchesPyTorchAlongEitherDim()
    {
        // x = pattern([3, 4], 7, 5, 11); g = x.gather(1, [[0, 3, 3], [1, 1, 0]]); (g * pattern(g.shape, 3, 2, 5)).sum().backward()
        var x = Pattern([3, 4], 7, 5, 11, requiresGrad: true);
        var g = x.Gather(1, Tensor.From(new long[,] { { 0, 3, 3 }, { 1, 1, 0 } }));
        Assert.Equal("GatherBackward0", g.GradFn!.Name);
        AssertClose([-1.25, 1.25, 1.25, -0.75, -0.75, 0.25], g);
        (g * Pattern(g.Shape, 3, 2, 5)).Sum().Backward();
        AssertClose([-0.5, 0.0, 0.0, 0.0, -0.5, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], x.Grad!);

        // Along dim 0 the index may be longer than x along that dim: x.gather(0, [[2, 0, 1, 2], [2, 2, 0, 1]]).
        x.Grad = null;
        var g0 = x.Gather(0, Tensor.From(new long[,] { { 2, 0, 1, 2 }, { 2, 2, 0, 1 } }));
        AssertClose([-1.0, 0.5, 1.0, -1.25, -1.0, 0.75, -0.5, 0.0], g0);
        (g0 * Pattern(g0.Shape, 3, 2, 5)).Sum().Backward();
        AssertClose([0.0, 0.25, 0.25, 0.0, 0.0, 0.0, -0.25, -0.25, -0.5, -0.5, 0.0, 0.5], x.Grad!);
    }

    [Fact]
    public void GatherAndScatterAddAlongAMiddleDimWithASmallerIndexMatchPyTorch()
    {
        // x = pattern([2, 3, 4], 7, 5, 11); i = [[[2, 0], [1, 1]], [[0, 2], [2, 2]]] (shape [2, 2, 2]); x.gather(1, i);
        // zeros(2, 3, 4).scatter_add(1, i, pattern([2, 2, 2], 3, 2, 5))
        var index = Tensor.From(new long[] { 2, 0, 1, 1, 0, 2, 2, 2 }, [2, 2, 2]);
        AssertClose([-1.0, 0.5, 0.25, -0.75, 0.5, -0.25, 0.75, -0.25], Pattern([2, 3, 4], 7, 5, 11).Gather(1, index));
        AssertClose(
            [0.0, 0.25, 0.0, 0.0, -0.25, 0.5, 0.0, 0.0, -0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.25, -0.75, 0.0, 0.0],
            Tensor.Zeros([2, 3, 4], DType.Float64).ScatterAdd(1, index, Pattern([2, 2, 2], 3, 2, 5)));
        Assert.True(GradCheck.Check(xs => xs[0].Gather(1, index) * xs[1], Randn([2, 3, 4], seed: 20), Randn([2, 2, 2], seed: 21)));
    }

    [Fact]
    public void CrossEntropyFromLogSoftmaxAndGatherMatchesPyTorch()
    {
        // -logits.log_softmax(1).gather(1, t.unsqueeze(1)).mean() == F.cross_entropy(logits, t) = 2.088075858538421
        var logits = Pattern([3, 4], 7, 5, 11, requiresGrad: true);
        var targets = Tensor.From(new long[] { 2, 0, 3 });
        var loss = -logits.LogSoftmax(1).Gather(1, targets.Unsqueeze(1)).Mean();
        Assert.Equal(2.088075858538421, loss.Item(), 14);
        loss.Backward();
        AssertClose(
        [
            0.015832231551988273, 0.09110820205621407, -0.2998164988747584, 0.19287606526655612, -0.25515361194164454, 0.02876071221651353,
            0.1655064714849795, 0.0608864282401515, 0.03454087014838586, 0.1987689837874677, 0.07312302267794911, -0.3064328766138027,
        ],
            logits.Grad!);
    }

    [Fact]
    public void ScatterAddAndIndexAddMatchPyTorch()
    {
        // zeros(3, 4).scatter_add(1, [[0, 1, 0], [3, 3, 3], [2, 1, 0]], pattern([3, 3], 7, 5, 11))
        var s = Tensor.Zeros([3, 4], DType.Float64).ScatterAdd(1, Tensor.From(new long[,] { { 0, 1, 0 }, { 3, 3, 3 }, { 2, 1, 0 } }), Pattern([3, 3], 7, 5, 11));
        AssertClose([-1.75, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.75, -1.0, 0.0, 1.0, 0.0], s);

        // ones(3, 4).index_add(0, [2, 0, 2], pattern([3, 4], 7, 5, 11))
        var a = Tensor.Ones([3, 4], DType.Float64).IndexAdd(0, Tensor.From(new long[] { 2, 0, 2 }), Pattern([3, 4], 7, 5, 11));
        AssertClose([1.25, 0.25, 2.0, 1.0, 1.0, 1.0, 1.0, 1.0, -1.25, 2.25, 0.25, 1.0], a);
    }

    [Fact]
    public void GradientsPassGradCheck()
    {
        var repeated = Tensor.From(new long[] { 2, 0, 2, 2, 1 });
        Assert.True(GradCheck.Check(x => x.IndexSelect(1, repeated), Randn([2, 3, 2], seed: 1)));
        Assert.True(GradCheck.Check(x => x.IndexSelect(0, repeated), Randn([3], seed: 2)));
        Assert.True(GradCheck.Check(w => Tensor.Embedding(w, Tensor.From(new long[] { 1, 3, 1, 1, 0, 3 }, [3, 2])), Randn([4, 3], seed: 3)));
        var index = Tensor.From(new long[,] { { 0, 2, 2 }, { 1, 1, 0 } });
        Assert.True(GradCheck.Check(x => x.Gather(1, index), Randn([3, 4], seed: 4)));
        Assert.True(GradCheck.Check(x => x.Gather(0, index), Randn([3, 4], seed: 5)));
        Assert.True(GradCheck.Check(xs => xs[0].ScatterAdd(1, index, xs[1]), Randn([2, 4], seed: 6), Randn([2, 3], seed: 7)));
        Assert.True(GradCheck.Check(xs => xs[0].ScatterAdd(0, index, xs[1]), Randn([3, 3], seed: 8), Randn([3, 4], seed: 9)));
        Assert.True(GradCheck.Check(xs => xs[0].IndexAdd(1, repeated, xs[1]), Randn([2, 3], seed: 10), Randn([2, 5], seed: 11)));
    }

    [Fact]
    public void SecondDerivativesPassGradCheck()
    {
        var repeated = Tensor.From(new long[] { 2, 0, 2, 2, 1 });
        var index = Tensor.From(new long[,] { { 0, 2, 2 }, { 1, 1, 0 } });
        var ids = Tensor.From(new long[] { 1, 3, 1, 1, 0, 3 }, [3, 2]);
        Assert.True(GradCheck.Check(GradOfSquare(xs => xs[0].IndexSelect(1, repeated), wrt: 0), Randn([2, 3, 2], seed: 12)));
        Assert.True(GradCheck.Check(GradOfSquare(xs => Tensor.Embedding(xs[0], ids), wrt: 0), Randn([4, 3], seed: 13)));
        Assert.True(GradCheck.Check(GradOfSquare(xs => Tensor.Embedding(xs[0], ids, paddingIdx: 1), wrt: 0), Randn([4, 3], seed: 13)));
        Assert.True(GradCheck.Check(GradOfSquare(xs => xs[0].Gather(1, index), wrt: 0), Randn([3, 4], seed: 14)));
        Assert.True(GradCheck.Check(GradOfSquare(xs => xs[0].ScatterAdd(1, index, xs[1]), wrt: 1), Randn([2, 4], seed: 15), Randn([2, 3], seed: 16)));
        Assert.True(GradCheck.Check(GradOfSquare(xs => xs[0].IndexAdd(1, repeated, xs[1]), wrt: 1), Randn([2, 3], seed: 17), Randn([2, 5], seed: 18)));
    }

    [Fact]
    public void BackwardOfBackwardNodesAreNamedAsInPyTorch()
    {
        // With a grad_output that requires grad, the first-order gradients are themselves recorded ops.
        var x = Randn([3, 4], seed: 19);
        string NameOfGrad(Tensor y, Tensor input)
        {
            var v = Tensor.OnesLike(y).SetRequiresGrad();
            return Autograd.Grad([y], [input], [v], createGraph: true)[0]!.GradFn!.Name;
        }

        Assert.Equal("IndexAddBackward0", NameOfGrad(x.IndexSelect(1, Tensor.From(new long[] { 0, 2 })), x));
        Assert.Equal("ScatterAddBackward0", NameOfGrad(x.Gather(1, Tensor.From(new long[,] { { 0 }, { 1 }, { 3 } })), x));
        Assert.Equal("EmbeddingDenseBackwardBackward0", NameOfGrad(Tensor.Embedding(x, Tensor.From(new long[] { 1, 1 })), x));
        var s = Tensor.Zeros([3, 4], DType.Float64).ScatterAdd(1, Tensor.From(new long[,] { { 0 }, { 1 }, { 3 } }), x[.., ..1]);
        Assert.Equal("ScatterAddBackward0", s.GradFn!.Name);
        Assert.Equal("IndexAddBackward0", Tensor.Zeros([3, 4], DType.Float64).IndexAdd(0, Tensor.From(new long[] { 0 }), x[..1]).GradFn!.Name);
    }

    [Fact]
    public void ErrorsMatchPyTorch()
    {
        var x = Tensor.Zeros([2, 3]);
        Assert.Equal("index out of range in self", Assert.Throws<IndexOutOfRangeException>(() => x.IndexSelect(1, Tensor.From(new long[] { 3 }))).Message);
        Assert.Equal("index out of range in self", Assert.Throws<IndexOutOfRangeException>(() => x.IndexSelect(1, Tensor.From(new long[] { -1 }))).Message);
        Assert.StartsWith("index_select(): Index is supposed to be a vector", Assert.Throws<IndexOutOfRangeException>(() => x.IndexSelect(1, Tensor.From(new long[,] { { 1 } }))).Message);
        Assert.StartsWith("index_select(): Expected dtype int64 for index", Assert.Throws<ArgumentException>(() => x.IndexSelect(1, Tensor.From(new[] { 1f }))).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => x.IndexSelect(2, Tensor.From(new long[] { 0 })));

        var w = Tensor.Zeros([5, 3]);
        Assert.Equal("index out of range in self", Assert.Throws<IndexOutOfRangeException>(() => Tensor.Embedding(w, Tensor.From(new long[] { 5 }))).Message);
        Assert.Equal("index out of range in self", Assert.Throws<IndexOutOfRangeException>(() => Tensor.Embedding(w, Tensor.From(new long[] { -1 }))).Message);
        Assert.StartsWith("'weight' must be 2-D", Assert.Throws<ArgumentException>(() => Tensor.Embedding(Tensor.Zeros([5]), Tensor.From(new long[] { 1 }))).Message);
        Assert.StartsWith(
            "Expected tensor for argument #1 'indices' to have one of the following scalar types: Long",
            Assert.Throws<ArgumentException>(() => Tensor.Embedding(w, Tensor.From(new[] { 1f }))).Message);
        Assert.StartsWith("Padding_idx must be within num_embeddings", Assert.Throws<ArgumentException>(() => Tensor.Embedding(w, Tensor.From(new long[] { 1 }), paddingIdx: 5)).Message);

        Assert.Equal("index 3 is out of bounds for dimension 1 with size 3", Assert.Throws<IndexOutOfRangeException>(() => x.Gather(1, Tensor.From(new long[,] { { 3 }, { 0 } }))).Message);
        Assert.Equal("index -1 is out of bounds for dimension 1 with size 3", Assert.Throws<IndexOutOfRangeException>(() => x.Gather(1, Tensor.From(new long[,] { { -1 }, { 0 } }))).Message);
        Assert.StartsWith("Index tensor must have the same number of dimensions as input tensor", Assert.Throws<ArgumentException>(() => x.Gather(1, Tensor.From(new long[] { 1, 0 }))).Message);
        Assert.Equal(
            "Size does not match at dimension 0 expected index [3, 1] to be smaller than self [2, 3] apart from dimension 1",
            Assert.Throws<ArgumentException>(() => x.Gather(1, Tensor.From(new long[,] { { 1 }, { 0 }, { 1 } }))).Message);
        Assert.StartsWith("gather(): Expected dtype int64 for index", Assert.Throws<ArgumentException>(() => x.Gather(1, Tensor.From(new[,] { { 1f }, { 0f } }))).Message);

        Assert.Equal(
            "index 3 is out of bounds for dimension 1 with size 3",
            Assert.Throws<IndexOutOfRangeException>(() => x.ScatterAdd(1, Tensor.From(new long[,] { { 3 }, { 0 } }), Tensor.Ones([2, 1]))).Message);
        Assert.StartsWith("scatter(): Expected self.dtype to be equal to src.dtype", Assert.Throws<ArgumentException>(() => x.ScatterAdd(1, Tensor.From(new long[,] { { 1 }, { 0 } }), Tensor.Ones([2, 1], DType.Float64))).Message);
        Assert.Equal("index out of range in self", Assert.Throws<IndexOutOfRangeException>(() => x.IndexAdd(1, Tensor.From(new long[] { 3 }), Tensor.Ones([2, 1]))).Message);
        Assert.Equal(
            "index_add_(): Number of indices (2) should be equal to source.size(dim): (1), for dim: 1",
            Assert.Throws<ArgumentException>(() => x.IndexAdd(1, Tensor.From(new long[] { 1, 2 }), Tensor.Ones([2, 1]))).Message);
        Assert.Equal(
            "source tensor shape must match self tensor shape, excluding the specified dimension. Got self.shape = [2, 3] source.shape = [3, 1]",
            Assert.Throws<ArgumentException>(() => x.IndexAdd(1, Tensor.From(new long[] { 1 }), Tensor.Ones([3, 1]))).Message);
    }
}
