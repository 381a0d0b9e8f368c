using DistGrad.Distributed.Pipeline;

namespace DistGrad.Distributed.Tests.Pipeline;

public class PipelineSchedulesForTests
{
    [Fact]
    public void The_known_names_are_gpipe_and_1f1b()
    {
        Assert.Equal(["gpipe", "1f1b"], PipelineSchedules.Names);
    }

    [Fact]
    public void An_unknown_name_is_reported_with_the_known_ones()
    {
        var error = Assert.Throws<ArgumentException>(() => PipelineSchedules.For("zigzag", 2, 4));

        Assert.Contains("zigzag", error.Message);
        Assert.Contains("gpipe", error.Message);
        Assert.Contains("1f1b", error.Message);
    }

    [Theory]
    [InlineData(0, 4)]
    [InlineData(2, 0)]
    [InlineData(-1, 1)]
    public void Fewer_than_one_stage_or_micro_batch_is_out_of_range(int stages, int microBatches)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PipelineSchedules.For("1f1b", stages, microBatches));
        Assert.Throws<ArgumentOutOfRangeException>(() => PipelineSchedules.GPipe(stages, microBatches));
        Assert.Throws<ArgumentOutOfRangeException>(() => PipelineSchedules.OneFOneB(stages, microBatches));
    }

    [Fact]
    public void Names_are_matched_without_regard_to_case()
    {
        Assert.Equal("gpipe", PipelineSchedules.For("GPipe", 2, 2).Name);
        Assert.Equal("1f1b", PipelineSchedules.For("1F1B", 2, 2).Name);
    }
}
