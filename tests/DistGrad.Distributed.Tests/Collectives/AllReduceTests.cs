using DistGrad.Distributed.Tests.DataPlane;
using static DistGrad.Distributed.Tests.DataPlane.TransportGroups;

namespace DistGrad.Distributed.Tests.Collectives;

/// <summary>Ring all-reduce: sums against the exact sums of the inputs, and bit-identical results everywhere.</summary>
public class AllReduceTests
{
    public static TheoryData<Kind, int, int> Cases()
    {
        // Lengths cover: empty, shorter than the group, odd, and several pieces (at least 1 MiB each) per chunk.
        var data = new TheoryData<Kind, int, int>();
        foreach (var kind in new[] { Kind.InMemory, Kind.Tcp })
        {
            foreach (int worldSize in new[] { 2, 3, 4 })
            {
                foreach (int length in new[] { 0, 1, 3, 1001, 1_300_001 })
                {
                    data.Add(kind, worldSize, length);
                }
            }
        }

        return data;
    }

    private static float[][] Inputs(int worldSize, int length, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, worldSize)
            .Select(_ => Enumerable.Range(0, length).Select(_ => (float)((random.NextDouble() * 2) - 1) * 1000).ToArray())
            .ToArray();
    }

    private static async Task<float[][]> AllReduceAsync(CollectiveHarness harness, float[][] inputs)
    {
        var buffers = inputs.Select(x => (float[])x.Clone()).ToArray();
        await harness.RunAsync((c, position) => c.AllReduceSumAsync(buffers[position]));
        return buffers;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Every_member_gets_the_sum_bit_identical_and_repeatable(Kind kind, int worldSize, int length)
    {
        await using var harness = await CollectiveHarness.CreateAsync(kind, worldSize);
        var inputs = Inputs(worldSize, length, seed: (worldSize * 1000) + length);

        var first = await AllReduceAsync(harness, inputs);
        var second = await AllReduceAsync(harness, inputs);

        for (int i = 0; i < length; i++)
        {
            double exact = 0;
            double magnitude = 0;
            for (int r = 0; r < worldSize; r++)
            {
                exact += inputs[r][i];
                magnitude += Math.Abs(inputs[r][i]);
            }

            // float32 sums of n terms: at most (n − 1) roundings, each within half an ulp of the running magnitude.
            double tolerance = worldSize * magnitude * 6e-8;
            Assert.True(Math.Abs(first[0][i] - exact) <= tolerance, $"element {i}: {first[0][i]} vs {exact}");
        }

        foreach (var result in first.Concat(second))
        {
            Assert.True(first[0].AsSpan().SequenceEqual(result), "results differ between members or runs");
        }
    }

    [Theory]
    [InlineData(Kind.InMemory)]
    [InlineData(Kind.Tcp)]
    public async Task Doubles_are_summed_exactly_when_the_sum_is_representable(Kind kind)
    {
        await using var harness = await CollectiveHarness.CreateAsync(kind, 3);
        const int Length = 300_001;
        var buffers = Enumerable.Range(0, 3).Select(r => Enumerable.Range(0, Length).Select(i => (double)((i * (r + 1)) % 977) - 400.5).ToArray()).ToArray();
        await harness.RunAsync((c, position) => c.AllReduceSumAsync(buffers[position]));
        for (int i = 0; i < Length; i++)
        {
            double expected = Enumerable.Range(0, 3).Sum(r => (double)((i * (r + 1)) % 977) - 400.5);
            Assert.Equal(expected, buffers[1][i]);
        }

        Assert.True(buffers[0].AsSpan().SequenceEqual(buffers[2]));
    }

    [Fact]
    public async Task A_large_buffer_over_tcp_is_reduced()
    {
        await using var harness = await CollectiveHarness.CreateAsync(Kind.Tcp, 2, timeout: TimeSpan.FromSeconds(20));
        const int Length = 4 << 20; // 16 MiB of float32
        var buffers = Enumerable.Range(0, 2).Select(r => Enumerable.Range(0, Length).Select(i => (float)((i % 1000) + r)).ToArray()).ToArray();
        await harness.RunAsync((c, position) => c.AllReduceSumAsync(buffers[position]));
        for (int i = 0; i < Length; i++)
        {
            Assert.Equal((2f * (i % 1000)) + 1, buffers[0][i]);
        }

        Assert.True(buffers[0].AsSpan().SequenceEqual(buffers[1]));
    }

    [Fact]
    public async Task A_subgroup_in_its_own_order_reduces_among_its_members_only()
    {
        await using var harness = await CollectiveHarness.CreateAsync(Kind.InMemory, 4, group: [3, 1]);
        float[][] buffers = [[1, 2, 3], [10, 20, 30]];
        await harness.RunAsync((c, position) => c.AllReduceSumAsync(buffers[position]));
        Assert.Equal(new float[] { 11, 22, 33 }, buffers[0]);
        Assert.Equal(new float[] { 11, 22, 33 }, buffers[1]);
    }

    [Fact]
    public async Task A_group_of_one_leaves_the_data_alone()
    {
        await using var harness = await CollectiveHarness.CreateAsync(Kind.InMemory, 1);
        float[] data = [1, 2, 3];
        await harness.Communicators[0].AllReduceSumAsync(data);
        Assert.Equal(new float[] { 1, 2, 3 }, data);
    }

    [Fact]
    public async Task Byte_counters_add_up_to_the_ring_traffic()
    {
        await using var harness = await CollectiveHarness.CreateAsync(Kind.InMemory, 2);
        float[][] buffers = [new float[1000], new float[1000]];
        await harness.RunAsync((c, position) => c.AllReduceSumAsync(buffers[position]));

        // Two members: each sends its half once (reduce-scatter) and the other half once (all-gather).
        Assert.All(harness.Communicators, c => Assert.Equal(4000, c.BytesSent));
        Assert.All(harness.Communicators, c => Assert.Equal(4000, c.BytesReceived));
    }
}
