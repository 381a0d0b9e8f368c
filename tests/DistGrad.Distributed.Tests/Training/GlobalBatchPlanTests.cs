using DistGrad.Distributed.Training;

namespace DistGrad.Distributed.Tests.Training;

public class GlobalBatchPlanTests
{
    [Theory]
    [InlineData(2, 1)]
    [InlineData(2, 4)]
    [InlineData(3, 4)]
    [InlineData(4, 2)]
    public void Replicas_and_micro_steps_partition_the_single_process_global_batch(int dataParallel, int accumulation)
    {
        var single = new GlobalBatchPlan(600, 48, 1, 1, seed: 5);
        var split = new GlobalBatchPlan(600, 48, dataParallel, accumulation, seed: 5);
        for (var step = 0L; step < 30; step += 7)
        {
            var parts = Enumerable.Range(0, dataParallel)
                .SelectMany(d => Enumerable.Range(0, accumulation).Select(k => split.Indices(step, d, k)))
                .ToList();
            Assert.All(parts, p => Assert.Equal(48 / (dataParallel * accumulation), p.Length));
            var union = parts.SelectMany(p => p).ToArray();
            Assert.Equal(union.Length, union.Distinct().Count());
            Assert.Equal(single.Indices(step, 0, 0).Order(), union.Order());
        }
    }

    [Fact]
    public void Each_epoch_visits_every_whole_batch_once_and_epochs_reshuffle()
    {
        var plan = new GlobalBatchPlan(100, 10, 1, 1, seed: 0);
        Assert.Equal(10, plan.StepsPerEpoch);
        var epoch0 = Enumerable.Range(0, 10).SelectMany(s => plan.Indices(s, 0, 0)).ToArray();
        var epoch1 = Enumerable.Range(10, 10).SelectMany(s => plan.Indices(s, 0, 0)).ToArray();
        Assert.Equal(Enumerable.Range(0, 100), epoch0.Order());
        Assert.Equal(Enumerable.Range(0, 100), epoch1.Order());
        Assert.NotEqual(epoch0, epoch1);
        Assert.Equal(1, plan.EpochOf(10));
    }

    [Fact]
    public void The_same_seed_gives_the_same_batches_and_another_seed_others()
    {
        var a = new GlobalBatchPlan(100, 10, 2, 1, seed: 3).Indices(4, 1, 0);
        var b = new GlobalBatchPlan(100, 10, 2, 1, seed: 3).Indices(4, 1, 0);
        var c = new GlobalBatchPlan(100, 10, 2, 1, seed: 4).Indices(4, 1, 0);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void A_batch_that_does_not_split_evenly_is_refused_with_the_numbers()
    {
        var e = Assert.Throws<ArgumentException>(() => new GlobalBatchPlan(600, 50, 3, 2, seed: 0));
        Assert.Contains("50", e.Message);
        Assert.Contains("6", e.Message);
    }
}
