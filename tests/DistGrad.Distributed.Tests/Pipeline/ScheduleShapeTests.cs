using DistGrad.Distributed.Pipeline;

namespace DistGrad.Distributed.Tests.Pipeline;

/// <summary>Small schedules spelled out by hand from the definitions of GPipe and 1F1B.</summary>
public class ScheduleShapeTests
{
    [Fact]
    public void GPipe_with_two_stages_and_two_micro_batches_runs_all_forwards_then_backwards_last_first()
    {
        var schedule = PipelineSchedules.GPipe(2, 2);

        Assert.Equal("gpipe", schedule.Name);
        Assert.Equal(
            "Forward(0) SendActivation(0) Forward(1) SendActivation(1) RecvGradient(1) Backward(1) RecvGradient(0) Backward(0) GradientPipeline",
            ScheduleText.Of(schedule.ForStage(0)));
        Assert.Equal(
            "RecvActivation(0) Forward(0) RecvActivation(1) Forward(1) Backward(1) SendGradient(1) Backward(0) SendGradient(0) GradientPipeline",
            ScheduleText.Of(schedule.ForStage(1)));
    }

    [Fact]
    public void OneFOneB_with_two_stages_and_three_micro_batches_warms_up_one_forward_on_the_first_stage()
    {
        var schedule = PipelineSchedules.OneFOneB(2, 3);

        Assert.Equal("1f1b", schedule.Name);
        Assert.Equal(
            "Forward(0) SendActivation(0) "
            + "Forward(1) SendActivation(1) RecvGradient(0) Backward(0) "
            + "Forward(2) SendActivation(2) RecvGradient(1) Backward(1) "
            + "RecvGradient(2) Backward(2) GradientPipeline",
            ScheduleText.Of(schedule.ForStage(0)));
        Assert.Equal(
            "RecvActivation(0) Forward(0) Backward(0) SendGradient(0) "
            + "RecvActivation(1) Forward(1) Backward(1) SendGradient(1) "
            + "RecvActivation(2) Forward(2) Backward(2) SendGradient(2) GradientPipeline",
            ScheduleText.Of(schedule.ForStage(1)));
    }

    [Fact]
    public void OneFOneB_with_three_stages_and_four_micro_batches_warms_up_two_one_and_no_forwards()
    {
        var schedule = PipelineSchedules.OneFOneB(3, 4);

        Assert.Equal(
            "Forward(0) SendActivation(0) Forward(1) SendActivation(1) "
            + "Forward(2) SendActivation(2) RecvGradient(0) Backward(0) "
            + "Forward(3) SendActivation(3) RecvGradient(1) Backward(1) "
            + "RecvGradient(2) Backward(2) RecvGradient(3) Backward(3) GradientPipeline",
            ScheduleText.Of(schedule.ForStage(0)));
        Assert.Equal(
            "RecvActivation(0) Forward(0) SendActivation(0) "
            + "RecvActivation(1) Forward(1) SendActivation(1) RecvGradient(0) Backward(0) SendGradient(0) "
            + "RecvActivation(2) Forward(2) SendActivation(2) RecvGradient(1) Backward(1) SendGradient(1) "
            + "RecvActivation(3) Forward(3) SendActivation(3) RecvGradient(2) Backward(2) SendGradient(2) "
            + "RecvGradient(3) Backward(3) SendGradient(3) GradientPipeline",
            ScheduleText.Of(schedule.ForStage(1)));
        Assert.Equal(
            "RecvActivation(0) Forward(0) Backward(0) SendGradient(0) "
            + "RecvActivation(1) Forward(1) Backward(1) SendGradient(1) "
            + "RecvActivation(2) Forward(2) Backward(2) SendGradient(2) "
            + "RecvActivation(3) Forward(3) Backward(3) SendGradient(3) GradientPipeline",
            ScheduleText.Of(schedule.ForStage(2)));
    }

    [Fact]
    public void A_single_stage_pipeline_has_no_messages()
    {
        Assert.Equal("Forward(0) Backward(0) GradientPipeline", ScheduleText.Of(PipelineSchedules.OneFOneB(1, 1).ForStage(0)));
        Assert.Equal("Forward(0) Forward(1) Backward(1) Backward(0) GradientPipeline", ScheduleText.Of(PipelineSchedules.GPipe(1, 2).ForStage(0)));
    }

    [Fact]
    public void Actions_print_as_kind_and_micro_batch()
    {
        Assert.Equal("Forward(3)", new PipelineAction(PipelineActionKind.Forward, 3).ToString());
        Assert.Equal("SendActivation(3)", new PipelineAction(PipelineActionKind.SendActivation, 3).ToString());
        Assert.Equal("GradientPipeline", new PipelineAction(PipelineActionKind.GradientPipeline, -1).ToString());
    }
}
