
namespace DistGrad.Distributed.Tests.Training;

/// <summary>
/// The correctness contract: data-parallel training with accumulation and global-norm clipping ends with
/// the parameters of single-process training on the same global batches.
/// </summary>
public class DataParallelEquivalenceTests
{
    private static JobSpec Spec(int dataParallel) => new()
    {
        Job = "mlp",
        BatchSize = 96,
        DataParallel = dataParallel,
        AccumulationSteps = 4,
        ClipGradNorm = 1.0,
        LearningRate = 0.1,
        Momentum = 0.9,
        Seed = 7,
    };

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Twenty_steps_with_accumulation_4_and_clipping_match_single_process_training(int dataParallel)
    {
        var spec = Spec(dataParallel);
        var norms = new List<double>();
        var reference = SingleProcessReference.Train(spec, LocalReplicas.Train, 20, norms);
        var (trainers, results) = LocalReplicas.Run(spec, 20);

        foreach (var trainer in trainers)
        {
            Assert.True(SingleProcessReference.MaxAbsDifference(reference, trainer.Parameters()) <= 1e-5f);
        }

        // Replicas hold bit-identical parameters: they applied the same averaged gradient.
        var first = trainers[0].Parameters();
        Assert.All(trainers.Skip(1), t => Assert.Equal(0f, SingleProcessReference.MaxAbsDifference(first, t.Parameters())));

        // The logged norm is the pre-clip global norm, the one clip_grad_norm_ returns (and clipping did act).
        for (var s = 0; s < 20; s++)
        {
            Assert.Equal(norms[s], results[0][s].GradNorm, 1e-4 * norms[s]);
        }

        Assert.Contains(norms, n => n > 1.0);
    }

    [Fact]
    public void Data_parallel_runs_repeat_bit_for_bit()
    {
        var spec = Spec(3);
        var a = LocalReplicas.Run(spec, 5).Trainers[0].Parameters();
        var b = LocalReplicas.Run(spec, 5).Trainers[0].Parameters();
        Assert.Equal(0f, SingleProcessReference.MaxAbsDifference(a, b));
    }

    [Fact]
    public void One_replica_with_accumulation_matches_the_whole_batch_step()
    {
        var spec = Spec(1) with { ClipGradNorm = null };
        var reference = SingleProcessReference.Train(spec, LocalReplicas.Train, 10);
        var (trainers, _) = LocalReplicas.Run(spec, 10);
        Assert.True(SingleProcessReference.MaxAbsDifference(reference, trainers[0].Parameters()) <= 1e-5f);
    }
}
