using DistGrad.Distributed.Pipeline;

namespace DistGrad.Distributed.Tests.Training;

/// <summary>
/// The correctness contract for pipeline layouts: cutting the model into stages, streaming micro-batches
/// through them with GPipe or 1F1B, and replicating the pipeline ends with the parameters of
/// single-process training on the same global batches.
/// </summary>
public class PipelineEquivalenceTests
{
    private static JobSpec Spec(int stages, string schedule, int dataParallel = 1, string partition = "params") => new()
    {
        Job = "mlp",
        BatchSize = 64,
        DataParallel = dataParallel,
        PipelineStages = stages,
        MicroBatches = 4,
        Schedule = schedule,
        Partition = partition,
        ClipGradNorm = 1.0,
        LearningRate = 0.1,
        Momentum = 0.9,
        Seed = 3,
    };

    [Theory]
    [InlineData(2, "gpipe", "params")]
    [InlineData(2, "1f1b", "params")]
    [InlineData(3, "gpipe", "1,2,2")]
    [InlineData(3, "1f1b", "2,2,1")]
    public void Ten_steps_with_four_micro_batches_match_single_process_training(int stages, string schedule, string partition)
    {
        var spec = Spec(stages, schedule, partition: partition);
        var norms = new List<double>();
        var reference = SingleProcessReference.Train(spec, LocalReplicas.Train, 10, norms);
        var (trainers, results) = LocalReplicas.Run(spec, 10);

        Assert.Equal(stages, trainers.Select(t => t.Stage).Distinct().Count());
        Assert.True(SingleProcessReference.MaxAbsDifference(reference, LocalReplicas.ReplicaParameters(trainers, spec)) <= 1e-5f);

        // Clipping spans all stages: every stage logs the same pre-clip norm, clip_grad_norm_'s over the whole model.
        for (var s = 0; s < 10; s++)
        {
            Assert.All(results, r => Assert.Equal(norms[s], r[s].GradNorm, 1e-4 * norms[s]));
        }

        // Only the last stage computes the loss and counts the samples.
        Assert.All(results.Take(stages - 1), r => Assert.True(double.IsNaN(r[0].Loss) && r[0].Samples == 0));
        Assert.Equal(64, results[stages - 1][0].Samples);
    }

    [Theory]
    [InlineData("gpipe")]
    [InlineData("1f1b")]
    public void Two_replicas_of_a_two_stage_pipeline_match_single_process_training(string schedule)
    {
        var spec = Spec(2, schedule, dataParallel: 2);
        var reference = SingleProcessReference.Train(spec, LocalReplicas.Train, 10);
        var (trainers, _) = LocalReplicas.Run(spec, 10);

        var replica0 = LocalReplicas.ReplicaParameters(trainers, spec, 0);
        Assert.True(SingleProcessReference.MaxAbsDifference(reference, replica0) <= 1e-5f);
        // Replicas of each stage applied the same averaged gradient: bit-identical.
        Assert.Equal(0f, SingleProcessReference.MaxAbsDifference(replica0, LocalReplicas.ReplicaParameters(trainers, spec, 1)));
    }

    [Fact]
    public void Accumulation_rounds_run_the_schedule_again_before_the_gradient_stages()
    {
        // Two rounds of four micro-batches per step: eight chunks of 8 samples, one optimizer step.
        var spec = Spec(2, "1f1b") with { AccumulationSteps = 2 };
        var reference = SingleProcessReference.Train(spec, LocalReplicas.Train, 6);
        var (trainers, results) = LocalReplicas.Run(spec, 6);

        Assert.True(SingleProcessReference.MaxAbsDifference(reference, LocalReplicas.ReplicaParameters(trainers, spec)) <= 1e-5f);
        Assert.Equal(8, results[1][0].Timeline.Count(e => e.Category == "forward"));
        Assert.Single(results[1][0].Timeline, e => e.Category == "gradients");
    }

    [Fact]
    public void One_f_one_b_holds_fewer_micro_batches_of_activations_than_gpipe()
    {
        var gpipe = LocalReplicas.Run(Spec(2, "gpipe") with { MicroBatches = 8, ClipGradNorm = null }, 2).Results;
        var oneFOneB = LocalReplicas.Run(Spec(2, "1f1b") with { MicroBatches = 8, ClipGradNorm = null }, 2).Results;

        // Stage 0 of 1F1B keeps at most S = 2 micro-batches alive, GPipe all M = 8: the ratio is S/M (equal micro-batches).
        var ratio = oneFOneB[0][1].PeakActivationBytes / (double)gpipe[0][1].PeakActivationBytes;
        Assert.Equal(2.0 / 8, ratio, 1e-9);
        Assert.True(gpipe[0][1].PeakActivationBytes > 0);
    }

    [Fact]
    public void Each_worker_times_its_actions_into_the_timeline()
    {
        var (_, results) = LocalReplicas.Run(Spec(2, "1f1b"), 1);
        var stage1 = results[1][0].Timeline;
        Assert.Equal(4, stage1.Count(e => e.Category == "forward"));
        Assert.Equal(4, stage1.Count(e => e.Category == "backward"));
        Assert.Equal(4, stage1.Count(e => e.Name.StartsWith("recv act", StringComparison.Ordinal)));
        Assert.Equal(4, stage1.Count(e => e.Name.StartsWith("send grad", StringComparison.Ordinal)));
        Assert.Single(stage1, e => e.Category == "gradients");
        Assert.All(stage1, e => Assert.True(e.Stage == 1 && e.Rank == 1 && e.DurationMicroseconds >= 0));
        // Stage 1 cannot start its first forward before stage 0 sent the activation.
        var firstSend = results[0][0].Timeline.First(e => e.Name == "send act 0");
        var firstForward = stage1.First(e => e.Name == "F0");
        Assert.True(firstForward.StartMicroseconds >= firstSend.StartMicroseconds);
    }

    [Fact]
    public void A_stage_that_throws_fails_the_step_naming_its_stage_and_micro_batch()
    {
        var spec = Spec(2, "1f1b") with { Job = "mlp-fails-at-third-forward", Partition = "3,3", ClipGradNorm = null };
        var error = Assert.ThrowsAny<Exception>(() => LocalReplicas.Run(spec, 1, timeout: TimeSpan.FromSeconds(3)));

        var failures = ((AggregateException)error).Flatten().InnerExceptions.OfType<PipelineStageException>().ToArray();
        var thrower = Assert.Single(failures, f => f.InnerException is FailingModels.PlannedFailure);
        Assert.Equal(1, thrower.Stage);
        Assert.Equal(2, thrower.MicroBatch);
        Assert.Contains("stage 1 (rank 1), micro-batch 2: Forward(2) failed", thrower.Message, StringComparison.Ordinal);
        // Stage 0 does not hang: it fails within the timeout, naming what it awaited from stage 1.
        var waiter = Assert.Single(failures, f => f.Stage == 0);
        Assert.Contains("awaited the gradient of activation", waiter.Message, StringComparison.Ordinal);
    }
}
