using DistGrad.Data;

namespace DistGrad.Tests.Data;

/// <summary>Batch shapes, dropLast, shuffling and bad arguments; sequential batches as PyTorch 1.13 gives them.</summary>
public class DataLoaderTests
{
    [Fact]
    public void SequentialBatchesMatchPyTorch()
    {
        // DataLoader(TensorDataset(arange(10)...), batch_size=4): [[0,1,2,3],[4,5,6,7],[8,9]]; drop_last: the first two.
        var loader = new DataLoader(Batches.Indexed(10), batchSize: 4);
        Assert.Equal(3, loader.Count);
        Assert.Equal([[0L, 1, 2, 3], [4L, 5, 6, 7], [8L, 9]], Batches.Pass(loader));

        var dropping = new DataLoader(Batches.Indexed(10), batchSize: 4, dropLast: true);
        Assert.Equal(2, dropping.Count);
        Assert.Equal([[0L, 1, 2, 3], [4L, 5, 6, 7]], Batches.Pass(dropping));
    }

    [Fact]
    public void BatchShapesFollowTheDataset()
    {
        var x = Tensor.Zeros([10, 3, 2]);
        var y = Tensor.Zeros([10, 5], DType.Float64);
        var shapes = new DataLoader(new TensorDataset(x, y), batchSize: 4).Select(b => (b.X.Shape, b.Y.Shape)).ToList();
        Assert.Equal([[4, 3, 2], [4, 3, 2], [2, 3, 2]], shapes.Select(s => s.Item1));
        Assert.Equal([[4, 5], [4, 5], [2, 5]], shapes.Select(s => s.Item2));
    }

    [Fact]
    public void BatchValuesAreTheSamplesRows()
    {
        var (xb, yb) = new DataLoader(Batches.Indexed(6, features: 2), batchSize: 4, shuffle: true, generator: new Generator(3)).First();
        var ids = yb.ToArray<long>();
        Assert.Equal(ids.SelectMany(i => new[] { 2f * i, (2f * i) + 1 }), xb.ToArray<float>());
    }

    [Fact]
    public void ABatchLargerThanTheDatasetIsOneBatch()
    {
        var loader = new DataLoader(Batches.Indexed(3), batchSize: 8);
        Assert.Equal(1, loader.Count);
        Assert.Equal([[0L, 1, 2]], Batches.Pass(loader));
        var dropping = new DataLoader(Batches.Indexed(3), batchSize: 8, dropLast: true);
        Assert.Equal(0, dropping.Count);
        Assert.Empty(Batches.Pass(dropping));
    }

    [Fact]
    public void ShuffleWithTheSameSeedRepeats()
    {
        List<List<long[]>> Epochs(long seed)
        {
            var loader = new DataLoader(Batches.Indexed(23), batchSize: 5, shuffle: true, generator: new Generator(seed));
            return Enumerable.Range(0, 3).Select(_ => Batches.Pass(loader)).ToList();
        }

        var a = Epochs(11);
        Assert.Equal(a, Epochs(11));
        Assert.NotEqual(a, Epochs(12));

        foreach (var epoch in a)
        {
            Assert.Equal([5, 5, 5, 5, 3], epoch.Select(b => b.Length));
            Assert.Equal(Enumerable.Range(0, 23).Select(i => (long)i), Batches.Flat(epoch).Order());
        }

        // Each epoch draws a new order, and none is the identity.
        Assert.NotEqual(Batches.Flat(a[0]), Batches.Flat(a[1]));
        Assert.NotEqual(Enumerable.Range(0, 23).Select(i => (long)i), Batches.Flat(a[0]));
    }

    [Fact]
    public void ShuffleWithDropLastLeavesOutTheShortBatch()
    {
        var loader = new DataLoader(Batches.Indexed(23), batchSize: 5, shuffle: true, dropLast: true, generator: new Generator(4));
        Assert.Equal(4, loader.Count);
        var pass = Batches.Pass(loader);
        Assert.Equal(4, pass.Count);
        Assert.All(pass, b => Assert.Equal(5, b.Length));
        Assert.Equal(20, Batches.Flat(pass).Distinct().Count());
    }

    [Fact]
    public void SamplerKindFollowsShuffle()
    {
        Assert.IsType<SequentialSampler>(new DataLoader(Batches.Indexed(4), 2).Sampler);
        var generator = new Generator(1);
        var random = Assert.IsType<RandomSampler>(new DataLoader(Batches.Indexed(4), 2, shuffle: true, generator: generator).Sampler);
        Assert.Same(generator, random.Generator);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void NonPositiveBatchSizeIsRejected(int batchSize)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new DataLoader(Batches.Indexed(4), batchSize));
        Assert.Contains($"batchSize should be a positive integer value, but got batchSize={batchSize}", e.Message);
    }

    [Fact]
    public void EmptyDatasetIsRejected()
    {
        var empty = new TensorDataset(Tensor.Zeros([0, 2]), Tensor.Zeros([0]));
        Assert.Equal(0, empty.Count);
        Assert.Contains("dataset is empty", Assert.Throws<ArgumentException>(() => new DataLoader(empty, 1)).Message);
    }

    [Fact]
    public void SamplerConflictsAreRejected()
    {
        var ds = Batches.Indexed(6);
        var sampler = new SequentialSampler(6);
        Assert.Contains("mutually exclusive with shuffle", Assert.Throws<ArgumentException>(() => new DataLoader(ds, 2, shuffle: true, sampler: sampler)).Message);
        Assert.Contains("seed the sampler", Assert.Throws<ArgumentException>(() => new DataLoader(ds, 2, generator: new Generator(), sampler: sampler)).Message);
        var e = Assert.Throws<ArgumentException>(() => new DataLoader(ds, 2, sampler: new SequentialSampler(7)));
        Assert.Contains("7 samples", e.Message);
        Assert.Contains("has 6", e.Message);
        Assert.Throws<ArgumentNullException>(() => new DataLoader(null!, 2));
    }

    [Fact]
    public void ACustomSamplerDecidesTheOrder()
    {
        var loader = new DataLoader(Batches.Indexed(5), batchSize: 2, sampler: new ReversedSampler(5));
        Assert.Equal([[4L, 3], [2L, 1], [0L]], Batches.Pass(loader));
    }

    /// <summary>A user-written sampler: only the order of an epoch.</summary>
    private sealed class ReversedSampler(int count) : Sampler(count)
    {
        public override int Count => DatasetCount;

        protected override int[] BeginEpoch() => Enumerable.Range(0, DatasetCount).Reverse().ToArray();

        protected override int[] OrderOf(SamplerState state) => BeginEpoch();
    }
}

/// <summary>Shuffling with the default generator, which must not run beside other users of it.</summary>
[Collection(DefaultGeneratorCollection.Name)]
public class DataLoaderDefaultGeneratorTests
{
    [Fact]
    public void ShuffleWithoutAGeneratorUsesTheDefaultOne()
    {
        var loader = new DataLoader(Batches.Indexed(17), batchSize: 4, shuffle: true);
        Generator.ManualSeed(5);
        var first = Batches.Pass(loader);
        Generator.ManualSeed(5);
        Assert.Equal(first, Batches.Pass(loader));

        var seeded = new DataLoader(Batches.Indexed(17), batchSize: 4, shuffle: true, generator: new Generator(5));
        Assert.Equal(first, Batches.Pass(seeded));
    }
}
