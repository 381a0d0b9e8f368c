using System.Diagnostics;
using DistGrad.Distributed.Collectives;
using static DistGrad.Distributed.Tests.DataPlane.TransportGroups;

namespace DistGrad.Distributed.Tests.Collectives;

/// <summary>A collective with a dead or absent member fails within the timeout, naming a rank, and never hangs.</summary>
public class FailureTests
{
    public static TheoryData<Kind, int> Cases() => new()
    {
        { Kind.InMemory, 2 }, { Kind.InMemory, 3 }, { Kind.InMemory, 4 },
        { Kind.Tcp, 2 }, { Kind.Tcp, 3 }, { Kind.Tcp, 4 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_member_that_disposes_mid_collective_makes_the_others_fail_in_time(Kind kind, int worldSize)
    {
        await using var harness = await CollectiveHarness.CreateAsync(kind, worldSize);
        int quitter = worldSize - 1;
        var clock = Stopwatch.StartNew();
        var outcomes = await harness.RunAsync(async (c, position) =>
        {
            if (position == quitter)
            {
                await Task.Delay(100);
                await c.Transport.DisposeAsync();
                return null;
            }

            try
            {
                await c.AllReduceSumAsync(new float[1_000_000]);
                return (Exception?)new InvalidOperationException("the all-reduce succeeded without a member");
            }
            catch (Exception e)
            {
                return e;
            }
        });

        // Everyone has given up by the 2 s timeout plus scheduling slack on a busy machine.
        Assert.True(clock.Elapsed < TestTimeout + TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
        for (int position = 0; position < quitter; position++)
        {
            var e = outcomes[position]!;
            Assert.True(e is IOException or TimeoutException, $"rank {position}: {e}");
            Assert.Matches(@"rank \d+", e.Message);
        }

        // The member waiting on the quitter names it.
        Assert.Contains($"rank {quitter}", outcomes[0]!.Message);
    }

    [Theory]
    [InlineData(Kind.InMemory)]
    [InlineData(Kind.Tcp)]
    public async Task A_member_that_never_joins_makes_the_others_time_out_naming_what_they_waited_for(Kind kind)
    {
        await using var harness = await CollectiveHarness.CreateAsync(kind, 2, timeout: TimeSpan.FromMilliseconds(500));
        var e = await Assert.ThrowsAsync<TimeoutException>(() => harness.Communicators[0].AllReduceScalarAsync(1, ReduceOp.Sum));
        Assert.Contains("rank 0 waited 0.5 s for tag", e.Message);
        Assert.Contains("from rank 1", e.Message);
    }
}
