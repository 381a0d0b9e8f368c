using DistGrad.Distributed.Pipeline;

namespace DistGrad.Distributed.Tests.Pipeline;

/// <summary>Both schedules are valid and complete for every small pipeline.</summary>
public class ScheduleCompletenessTests
{
    public static TheoryData<string, int, int> Layouts()
    {
        var data = new TheoryData<string, int, int>();
        foreach (var name in new[] { "gpipe", "1f1b" })
        {
            for (var stages = 1; stages <= 4; stages++)
            {
                for (var microBatches = 1; microBatches <= 8; microBatches++)
                {
                    data.Add(name, stages, microBatches);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void The_schedule_passes_the_validator(string name, int stages, int microBatches)
    {
        var schedule = PipelineSchedules.For(name, stages, microBatches);

        Assert.Equal(stages, schedule.Stages);
        Assert.Equal(microBatches, schedule.MicroBatches);
        Assert.Empty(ScheduleValidator.Problems(schedule));
        ScheduleValidator.ThrowIfInvalid(schedule);
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Each_stage_runs_every_action_its_position_needs_once_per_micro_batch(string name, int stages, int microBatches)
    {
        var schedule = PipelineSchedules.For(name, stages, microBatches);

        for (var stage = 0; stage < stages; stage++)
        {
            var first = stage == 0;
            var last = stage == stages - 1;
            var counts = schedule.ForStage(stage).CountBy(a => a.Kind).ToDictionary();
            Assert.Equal(microBatches, counts[PipelineActionKind.Forward]);
            Assert.Equal(microBatches, counts[PipelineActionKind.Backward]);
            Assert.Equal(first ? 0 : microBatches, counts.GetValueOrDefault(PipelineActionKind.RecvActivation));
            Assert.Equal(first ? 0 : microBatches, counts.GetValueOrDefault(PipelineActionKind.SendGradient));
            Assert.Equal(last ? 0 : microBatches, counts.GetValueOrDefault(PipelineActionKind.SendActivation));
            Assert.Equal(last ? 0 : microBatches, counts.GetValueOrDefault(PipelineActionKind.RecvGradient));
            Assert.Equal(1, counts[PipelineActionKind.GradientPipeline]);
            Assert.Equal(PipelineActionKind.GradientPipeline, schedule.ForStage(stage)[^1].Kind);
            Assert.Equal(-1, schedule.ForStage(stage)[^1].MicroBatch);
        }
    }
}
