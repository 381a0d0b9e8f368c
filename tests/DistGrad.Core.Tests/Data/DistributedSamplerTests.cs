using DistGrad.Data;

namespace DistGrad.Tests.Data;

/// <summary>
/// DistributedSampler slices. Without shuffling they are PyTorch 1.13's exactly (expected lists printed by
/// <c>list(DistributedSampler(range(n), num_replicas=r, rank=k, shuffle=False, drop_last=d))</c>); with
/// shuffling they partition one seeded permutation.
/// </summary>
public class DistributedSamplerTests
{
    public static TheoryData<int, int, bool, int[][]> TorchSlices => new()
    {
        { 10, 3, false, [[0, 3, 6, 9], [1, 4, 7, 0], [2, 5, 8, 1]] },
        { 10, 3, true, [[0, 3, 6], [1, 4, 7], [2, 5, 8]] },
        { 7, 4, false, [[0, 4], [1, 5], [2, 6], [3, 0]] },
        { 7, 4, true, [[0], [1], [2], [3]] },
        { 2, 5, false, [[0], [1], [0], [1], [0]] },
        { 2, 5, true, [[], [], [], [], []] },
        { 12, 4, false, [[0, 4, 8], [1, 5, 9], [2, 6, 10], [3, 7, 11]] },
        { 12, 4, true, [[0, 4, 8], [1, 5, 9], [2, 6, 10], [3, 7, 11]] },
        { 1, 3, false, [[0], [0], [0]] },
    };

    [Theory]
    [MemberData(nameof(TorchSlices))]
    public void UnshuffledSlicesMatchPyTorch(int n, int replicas, bool dropLast, int[][] expected)
    {
        for (var rank = 0; rank < replicas; rank++)
        {
            var sampler = new DistributedSampler(n, replicas, rank, shuffle: false, dropLast: dropLast);
            Assert.Equal(expected[rank].Length, sampler.Count);
            Assert.Equal(expected[rank], sampler.ToArray());
        }
    }

    [Theory]
    [InlineData(12, 4, false)]
    [InlineData(10, 3, false)]
    [InlineData(10, 3, true)]
    [InlineData(2, 5, false)]
    public void ShuffledSlicesPartitionOneSeededPermutation(int n, int replicas, bool dropLast)
    {
        var slices = Enumerable.Range(0, replicas).Select(r => new DistributedSampler(n, replicas, r, shuffle: true, seed: 42, dropLast: dropLast).ToArray()).ToArray();
        var size = slices[0].Length;
        Assert.All(slices, s => Assert.Equal(size, s.Length));

        // Interleaving the ranks' slices rebuilds the padded (or cut) permutation.
        var merged = Enumerable.Range(0, size * replicas).Select(i => slices[i % replicas][i / replicas]).ToArray();
        var distinct = merged.Take(Math.Min(n, merged.Length)).ToArray();
        Assert.Equal(distinct.Length, distinct.Distinct().Count());
        Assert.All(merged, i => Assert.InRange(i, 0, n - 1));
        if (!dropLast)
        {
            Assert.Equal(Enumerable.Range(0, n), distinct.Order());
            // Padding repeats the permutation from its start.
            Assert.All(Enumerable.Range(n, merged.Length - n), k => Assert.Equal(merged[k % n], merged[k]));
        }
    }

    [Fact]
    public void ShuffleIsSeededAndChangesWithTheEpoch()
    {
        int[] Slice(long seed, int epoch)
        {
            var sampler = new DistributedSampler(40, 2, 1, shuffle: true, seed: seed);
            sampler.SetEpoch(epoch);
            return sampler.ToArray();
        }

        Assert.Equal(Slice(3, 0), Slice(3, 0));
        Assert.Equal(Slice(3, 5), Slice(3, 5));
        Assert.NotEqual(Slice(3, 0), Slice(3, 1));
        Assert.NotEqual(Slice(3, 0), Slice(4, 0));

        // As in PyTorch, without SetEpoch every pass repeats the same order.
        var fixedEpoch = new DistributedSampler(40, 2, 1, shuffle: true, seed: 3);
        Assert.Equal(fixedEpoch.ToArray(), fixedEpoch.ToArray());
        Assert.Equal(0, fixedEpoch.Epoch);
    }

    [Fact]
    public void InvalidArgumentsAreRejected()
    {
        Assert.Contains("Invalid rank 2, rank should be in the interval [0, 1]", Assert.Throws<ArgumentOutOfRangeException>(() => new DistributedSampler(3, 2, 2)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new DistributedSampler(3, 2, -1));
        Assert.Contains("numReplicas should be a positive integer", Assert.Throws<ArgumentOutOfRangeException>(() => new DistributedSampler(3, 0, 0)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new DistributedSampler(-1, 1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DistributedSampler(3, 1, 0).SetEpoch(-1));
    }

    [Fact]
    public void WorkersReadTheirSlicesThroughALoader()
    {
        var ds = Batches.Indexed(10);
        var rank1 = new DataLoader(ds, batchSize: 3, sampler: new DistributedSampler(10, 3, 1, shuffle: false));
        Assert.Equal(2, rank1.Count);
        Assert.Equal([[1L, 4, 7], [0L]], Batches.Pass(rank1));
    }

    [Fact]
    public void ResumesMidEpochAfterSetEpoch()
    {
        DistributedSampler Make() => new(50, 4, 2, shuffle: true, seed: 8);
        var uninterrupted = Make();
        uninterrupted.SetEpoch(3);
        var expected = uninterrupted.ToArray();

        var first = Make();
        first.SetEpoch(3);
        var seen = first.Take(5).ToList();
        var state = first.GetState();
        Assert.Equal(3, state.Epoch);
        Assert.Equal(5, state.Position);

        // The resumed worker sets the same epoch as its loop comes round to it: the position is kept.
        var resumed = Make();
        resumed.SetState(state);
        resumed.SetEpoch(3);
        Assert.Equal(expected, seen.Concat(resumed).ToArray());

        // Moving on to another epoch starts that epoch from its beginning.
        resumed.SetState(state);
        resumed.SetEpoch(4);
        Assert.Equal(13, resumed.ToArray().Length);
    }
}
