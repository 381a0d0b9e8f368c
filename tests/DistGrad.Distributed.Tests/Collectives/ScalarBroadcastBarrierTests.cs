using DistGrad.Distributed.Collectives;
using static DistGrad.Distributed.Tests.DataPlane.TransportGroups;

namespace DistGrad.Distributed.Tests.Collectives;

/// <summary>Scalar all-reduce, broadcast and barrier.</summary>
public class ScalarBroadcastBarrierTests
{
    public static TheoryData<Kind, int> Cases()
    {
        var data = new TheoryData<Kind, int>();
        foreach (var kind in new[] { Kind.InMemory, Kind.Tcp })
        {
            foreach (int worldSize in new[] { 2, 3, 4 })
            {
                data.Add(kind, worldSize);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Scalar_sum_and_max_reach_every_member(Kind kind, int worldSize)
    {
        await using var harness = await CollectiveHarness.CreateAsync(kind, worldSize);
        var sums = await harness.RunAsync((c, position) => c.AllReduceScalarAsync((position * 1.5) + 0.25, ReduceOp.Sum));
        var maxima = await harness.RunAsync((c, position) => c.AllReduceScalarAsync(position == 1 ? 7.5 : -position, ReduceOp.Max));

        double expectedSum = Enumerable.Range(0, worldSize).Sum(p => (p * 1.5) + 0.25);
        Assert.All(sums, s => Assert.Equal(expectedSum, s));
        Assert.All(maxima, m => Assert.Equal(7.5, m));
    }

    [Fact]
    public async Task A_scalar_sum_is_added_in_group_order_so_every_member_gets_the_same_bits()
    {
        await using var harness = await CollectiveHarness.CreateAsync(Kind.InMemory, 3);
        double[] values = [1e16, 1.0, -1e16];
        var sums = await harness.RunAsync((c, position) => c.AllReduceScalarAsync(values[position], ReduceOp.Sum));

        // ((1e16 + 1) − 1e16) in float64 is 0, since 1e16 + 1 rounds to 1e16.
        Assert.All(sums, s => Assert.Equal(0.0, s));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Broadcast_copies_the_roots_buffer_to_everyone(Kind kind, int worldSize)
    {
        await using var harness = await CollectiveHarness.CreateAsync(kind, worldSize);
        foreach (int length in new[] { 0, 5, 1_000_003 })
        {
            foreach (int root in new[] { 0, worldSize - 1 })
            {
                var expected = Enumerable.Range(0, length).Select(i => (float)(i * 0.5) + root).ToArray();
                var buffers = Enumerable.Range(0, worldSize).Select(r => r == root ? (float[])expected.Clone() : new float[length]).ToArray();
                await harness.RunAsync((c, position) => c.BroadcastAsync(buffers[position], root));
                Assert.All(buffers, b => Assert.True(expected.AsSpan().SequenceEqual(b)));
            }
        }
    }

    [Fact]
    public async Task A_root_outside_the_group_is_an_argument_error()
    {
        await using var harness = await CollectiveHarness.CreateAsync(Kind.InMemory, 3, group: [0, 1]);
        await Assert.ThrowsAsync<ArgumentException>(() => harness.Communicators[0].BroadcastAsync(new float[1], 2));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Nobody_leaves_a_barrier_before_the_last_member_enters(Kind kind, int worldSize)
    {
        await using var harness = await CollectiveHarness.CreateAsync(kind, worldSize);
        long lateEntered = 0;
        var left = await harness.RunAsync(async (c, position) =>
        {
            if (position == worldSize - 1)
            {
                await Task.Delay(300);
                Interlocked.Exchange(ref lateEntered, 1);
            }

            await c.BarrierAsync();
            return Interlocked.Read(ref lateEntered);
        });
        Assert.All(left, l => Assert.Equal(1, l));
    }

    [Theory]
    [InlineData(Kind.InMemory)]
    [InlineData(Kind.Tcp)]
    public async Task Consecutive_collectives_never_mix_their_messages(Kind kind)
    {
        await using var harness = await CollectiveHarness.CreateAsync(kind, 3);
        var results = await harness.RunAsync(async (c, position) =>
        {
            var log = new List<double>();
            for (int round = 0; round < 20; round++)
            {
                // Members drift apart in time, so messages of the next collective arrive while others still finish this one.
                if ((round + position) % 3 == 0)
                {
                    await Task.Delay(5);
                }

                float[] data = [position + round, 1, 2, 3];
                await c.AllReduceSumAsync(data);
                log.Add(data[0]);
                log.Add(await c.AllReduceScalarAsync(position * round, ReduceOp.Max));
                float[] broadcast = [position, position];
                await c.BroadcastAsync(broadcast, round % 3);
                log.Add(broadcast[1]);
            }

            return log;
        });

        for (int round = 0; round < 20; round++)
        {
            Assert.Equal(3 + (3 * round), results[0][3 * round]);
            Assert.Equal(2 * round, results[0][(3 * round) + 1]);
            Assert.Equal(round % 3, results[0][(3 * round) + 2]);
        }

        Assert.Equal(results[0], results[1]);
        Assert.Equal(results[0], results[2]);
    }
}
