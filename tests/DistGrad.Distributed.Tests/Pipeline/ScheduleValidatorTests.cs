using DistGrad.Distributed.Pipeline;

namespace DistGrad.Distributed.Tests.Pipeline;

/// <summary>Faults planted in hand-written schedules are reported naming the stage and the action.</summary>
public class ScheduleValidatorTests
{
    // GPipe with two stages and two micro-batches, written out by hand; each test corrupts one line of it.
    private const string Stage0 =
        "Forward(0) SendActivation(0) Forward(1) SendActivation(1) RecvGradient(1) Backward(1) RecvGradient(0) Backward(0) GradientPipeline";

    private const string Stage1 =
        "RecvActivation(0) Forward(0) RecvActivation(1) Forward(1) Backward(1) SendGradient(1) Backward(0) SendGradient(0) GradientPipeline";

    [Fact]
    public void The_hand_written_schedule_is_valid()
    {
        Assert.Empty(ScheduleValidator.Problems(ScheduleText.Parse(2, Stage0, Stage1)));
    }

    [Fact]
    public void A_receive_that_waits_for_a_send_that_waits_for_it_is_a_deadlock_naming_both_stages()
    {
        // Stage 0 only sends activation 1 after gradient 0 comes back; stage 1 wants activation 1 before it does anything.
        var schedule = ScheduleText.Parse(
            2,
            "Forward(0) SendActivation(0) RecvGradient(0) Backward(0) Forward(1) SendActivation(1) RecvGradient(1) Backward(1) GradientPipeline",
            "RecvActivation(1) Forward(1) Backward(1) SendGradient(1) RecvActivation(0) Forward(0) Backward(0) SendGradient(0) GradientPipeline");

        var problem = Assert.Single(ScheduleValidator.Problems(schedule));

        Assert.StartsWith("deadlock: ", problem);
        Assert.Contains("stage 0 waits at RecvGradient(0) (stage 1 has not sent it)", problem);
        Assert.Contains("stage 1 waits at RecvActivation(1) (stage 0 has not sent it)", problem);
    }

    [Fact]
    public void Too_little_warm_up_on_the_first_stage_of_1F1B_deadlocks_all_three_stages()
    {
        // Stage 0 waits for gradient 0 before sending activation 1; stage 1 (correct 1F1B) needs activation 1
        // before its first backward, so it never sends gradient 0; stage 2 has done micro-batch 0 and wants activation 1.
        var good = PipelineSchedules.OneFOneB(3, 2);
        var schedule = good with
        {
            Actions =
            [
                ScheduleText.Parse(2, "Forward(0) SendActivation(0) RecvGradient(0) Backward(0) Forward(1) SendActivation(1) RecvGradient(1) Backward(1) GradientPipeline").ForStage(0),
                good.ForStage(1),
                good.ForStage(2),
            ],
        };

        var problem = Assert.Single(ScheduleValidator.Problems(schedule));

        Assert.Equal(
            "deadlock: stage 0 waits at RecvGradient(0) (stage 1 has not sent it), "
            + "stage 1 waits at RecvActivation(1) (stage 0 has not sent it), "
            + "stage 2 waits at RecvActivation(1) (stage 1 has not sent it).",
            problem);
    }

    [Fact]
    public void A_missing_backward_is_reported()
    {
        var schedule = ScheduleText.Parse(2, Stage0, Stage1.Replace("Backward(1) ", "", StringComparison.Ordinal));

        var problem = Assert.Single(ScheduleValidator.Problems(schedule));

        Assert.Contains("Stage 1", problem);
        Assert.Contains("Backward(1)", problem);
    }

    [Fact]
    public void A_duplicate_forward_is_reported()
    {
        var schedule = ScheduleText.Parse(2, "Forward(0) " + Stage0, Stage1);

        var problem = Assert.Single(ScheduleValidator.Problems(schedule));

        Assert.Contains("Stage 0", problem);
        Assert.Contains("Forward(0) 2 times", problem);
    }

    [Fact]
    public void A_forward_before_its_receive_is_reported()
    {
        var schedule = ScheduleText.Parse(2, Stage0, Stage1.Replace("RecvActivation(0) Forward(0)", "Forward(0) RecvActivation(0)", StringComparison.Ordinal));

        var problem = Assert.Single(ScheduleValidator.Problems(schedule));

        Assert.Equal("Stage 1 runs Forward(0) before RecvActivation(0); it must come after it.", problem);
    }

    [Fact]
    public void A_missing_send_is_reported_on_the_sender_and_as_an_unpaired_receive()
    {
        var schedule = ScheduleText.Parse(2, Stage0.Replace("SendActivation(1) ", "", StringComparison.Ordinal), Stage1);

        var problems = ScheduleValidator.Problems(schedule);

        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Contains("Stage 0 has no SendActivation(1)", StringComparison.Ordinal));
        Assert.Contains("Unpaired activation 1: stage 1 runs RecvActivation(1) once but stage 0 never runs SendActivation(1).", problems);
    }

    [Fact]
    public void Actions_the_stage_must_not_have_and_micro_batches_out_of_range_are_reported()
    {
        var schedule = ScheduleText.Parse(2, "RecvActivation(0) " + Stage0, Stage1.Replace("GradientPipeline", "Forward(2) GradientPipeline", StringComparison.Ordinal));

        var problems = ScheduleValidator.Problems(schedule);

        Assert.Contains(problems, p => p.StartsWith("Stage 0 has RecvActivation(0), but the first stage", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Stage 1 has Forward(2), but micro-batches run from 0 to 1", StringComparison.Ordinal));
    }

    [Fact]
    public void Gradient_stages_must_run_once_and_last()
    {
        var missing = ScheduleText.Parse(2, Stage0.Replace(" GradientPipeline", "", StringComparison.Ordinal), Stage1);
        var early = ScheduleText.Parse(2, Stage0, "GradientPipeline " + Stage1.Replace(" GradientPipeline", "", StringComparison.Ordinal));
        var twice = ScheduleText.Parse(2, Stage0 + " GradientPipeline", Stage1);

        Assert.Equal("Stage 0 has no GradientPipeline; its list must end with one.", Assert.Single(ScheduleValidator.Problems(missing)));
        Assert.Equal("Stage 1 has 8 actions after GradientPipeline; it must be the last action.", Assert.Single(ScheduleValidator.Problems(early)));
        Assert.Equal("Stage 0 has GradientPipeline 2 times; it must run once, at the end.", Assert.Single(ScheduleValidator.Problems(twice)));
    }

    [Fact]
    public void ThrowIfInvalid_lists_every_problem()
    {
        var schedule = ScheduleText.Parse(2, "Forward(0) " + Stage0, Stage1.Replace("Backward(1) ", "", StringComparison.Ordinal));

        var error = Assert.Throws<ArgumentException>(() => ScheduleValidator.ThrowIfInvalid(schedule));

        Assert.Contains("Stage 0 has Forward(0) 2 times", error.Message);
        Assert.Contains("Stage 1 has no Backward(1)", error.Message);
    }

    [Fact]
    public void A_list_count_that_differs_from_the_stage_count_is_reported()
    {
        var schedule = ScheduleText.Parse(2, Stage0, Stage1) with { Stages = 3 };

        Assert.Contains("3 stages", Assert.Single(ScheduleValidator.Problems(schedule)));
    }
}
