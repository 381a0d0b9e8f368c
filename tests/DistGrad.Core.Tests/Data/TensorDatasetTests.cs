using DistGrad.Data;

namespace DistGrad.Tests.Data;

/// <summary>TensorDataset items, gathered batches and bad input.</summary>
public class TensorDatasetTests
{
    [Fact]
    public void ItemsAreRowsOfBothTensors()
    {
        var ds = Batches.Indexed(5, features: 3);
        Assert.Equal(5, ds.Count);
        var (x, y) = ds[2];
        Assert.Equal([3], x.Shape);
        Assert.Equal([6f, 7, 8], x.ToArray<float>());
        Assert.Equal([], y.Shape);
        Assert.Equal(2, y.Item());
    }

    [Fact]
    public void GetBatchGathersRowsInTheGivenOrder()
    {
        var x = Tensor.From(Enumerable.Range(0, 24).Select(v => (double)v).ToArray(), [4, 3, 2]);
        var y = Tensor.From(new[] { true, false, true, true });
        var (xb, yb) = new TensorDataset(x, y).GetBatch([3, 0, 3]);
        Assert.Equal([3, 3, 2], xb.Shape);
        Assert.Equal(DType.Float64, xb.DType);
        Assert.Equal([18.0, 19, 20, 21, 22, 23, 0, 1, 2, 3, 4, 5, 18, 19, 20, 21, 22, 23], xb.ToArray<double>());
        Assert.Equal([true, true, true], yb.ToArray<bool>());
    }

    [Fact]
    public void BatchesOfViewsAndInPlaceChangesAreCurrent()
    {
        // A transposed (non-contiguous) X is read through a snapshot that an in-place write refreshes.
        var baseX = Tensor.From(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        var ds = new TensorDataset(baseX.T, Tensor.Arange(3));
        Assert.Equal([3f, 6, 1, 4], ds.GetBatch([2, 0]).X.ToArray<float>());
        baseX.MulInPlace(10f);
        Assert.Equal([30f, 60, 10, 40], ds.GetBatch([2, 0]).X.ToArray<float>());

        // A contiguous CPU X is read in place, so it is always current.
        var contiguous = Tensor.From(new float[,] { { 1, 2 }, { 3, 4 } });
        var live = new TensorDataset(contiguous, Tensor.Arange(2));
        Assert.Equal([3f, 4], live.GetBatch([1]).X.ToArray<float>());
        contiguous.AddInPlace(1f);
        Assert.Equal([4f, 5], live.GetBatch([1]).X.ToArray<float>());
    }

    [Fact]
    public void SlicedTensorsGatherFromTheirOffset()
    {
        var full = Tensor.From(Enumerable.Range(0, 12).Select(v => (float)v).ToArray(), [6, 2]);
        var tail = full.Slice(0, 3);
        var ds = new TensorDataset(tail, Tensor.Arange(3));
        Assert.Equal([8f, 9, 6, 7], ds.GetBatch([1, 0]).X.ToArray<float>());
    }

    [Fact]
    public void BatchesCarryNoAutogradHistory()
    {
        var x = Tensor.Randn([4, 2], requiresGrad: true, generator: new Generator(1));
        var (xb, _) = new TensorDataset(x, Tensor.Arange(4)).GetBatch([1, 2]);
        Assert.False(xb.RequiresGrad);
        Assert.Equal(x.ToArray<float>()[2..6], xb.ToArray<float>());
    }

    [Fact]
    public void MismatchedFirstDimensionsNameBothShapes()
    {
        var e = Assert.Throws<ArgumentException>(() => new TensorDataset(Tensor.Zeros([10, 1]), Tensor.Zeros([3])));
        Assert.Contains("Size mismatch", e.Message);
        Assert.Contains("[10, 1]", e.Message);
        Assert.Contains("[3]", e.Message);
    }

    [Fact]
    public void ScalarsHaveNoSampleDimension()
    {
        var e = Assert.Throws<ArgumentException>(() => new TensorDataset(Tensor.Scalar(1f), Tensor.Zeros([1])));
        Assert.Contains("first (sample) dimension", e.Message);
    }

    [Fact]
    public void BadIndicesAreRejected()
    {
        var ds = Batches.Indexed(3);
        Assert.Contains("index 3 is out of range for a dataset of 3 samples", Assert.Throws<ArgumentOutOfRangeException>(() => ds[3]).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => ds[-1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => ds.GetBatch([0, 5]));
        Assert.Contains("at least one index", Assert.Throws<ArgumentException>(() => ds.GetBatch([])).Message);
    }

    [Fact]
    public void DefaultGetBatchStacksItems()
    {
        var ds = new SquaresDataset(5);
        var (xb, yb) = ds.GetBatch([4, 1]);
        Assert.Equal([2, 2], xb.Shape);
        Assert.Equal([4f, 16, 1, 1], xb.ToArray<float>());
        Assert.Equal([4L, 1], yb.ToArray<long>());
    }

    /// <summary>A dataset written as users write one: only Count and the indexer.</summary>
    private sealed class SquaresDataset(int count) : Dataset
    {
        public override int Count => count;

        public override (Tensor X, Tensor Y) this[int index]
        {
            get
            {
                CheckIndex(index);
                return (Tensor.From(new float[] { index, index * index }), Tensor.Scalar((long)index));
            }
        }
    }
}
