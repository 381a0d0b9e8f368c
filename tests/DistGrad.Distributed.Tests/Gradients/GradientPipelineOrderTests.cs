using DistGrad.Distributed.Collectives;
using System.Collections.Concurrent;
using DistGrad.Distributed.Gradients;
using DistGrad.Distributed.Tests.Training;

namespace DistGrad.Distributed.Tests.Gradients;

/// <summary>A hook's place in the stage list decides whether it sees a replica's own gradients or the averaged ones.</summary>
public class GradientPipelineOrderTests
{
    private static readonly JobSpec Spec = new() { Job = "mlp", BatchSize = 32, DataParallel = 2, Seed = 3 };

    [Fact]
    public void A_hook_before_the_all_reduce_sees_local_gradients_and_one_after_sees_their_mean()
    {
        var before = new ConcurrentDictionary<int, float[]>();
        var after = new ConcurrentDictionary<int, float[]>();
        IReadOnlyList<IGradientProcessor> Pipeline(int rank) =>
        [
            new AccumulateGradients(1),
            GradientHooks.ForParameter("4.bias", g => Record(before, rank, g)),
            new AllReduceGradients(),
            GradientHooks.ForParameter("4.bias", g => Record(after, rank, g)),
            new OptimizerStep(),
        ];

        LocalReplicas.Run(Spec, 1, Pipeline);

        Assert.NotEqual(before[0], before[1]);
        Assert.Equal(after[0], after[1]);
        for (var i = 0; i < after[0].Length; i++)
        {
            Assert.Equal((before[0][i] + before[1][i]) / 2, after[0][i], 1e-7f);
        }
    }

    [Fact]
    public void A_hook_that_returns_a_tensor_replaces_the_gradient_before_the_optimizer_uses_it()
    {
        // Zeroing every gradient after the all-reduce must leave the parameters as they started (SGD without weight decay).
        IReadOnlyList<IGradientProcessor> Pipeline(int rank) =>
            [new AccumulateGradients(1), new AllReduceGradients(), new GradientHooks((_, g) => Tensor.ZerosLike(g)), new OptimizerStep()];
        var (trainers, _) = LocalReplicas.Run(Spec, 2, Pipeline);
        var initial = BuiltInJobs.MlpModel(new Generator(Spec.Seed)).NamedParameters().ToDictionary(p => p.Name, p => p.Parameter);
        Assert.Equal(0f, SingleProcessReference.MaxAbsDifference(initial, trainers[1].Parameters()));
    }

    [Fact]
    public void The_inf_norm_is_the_largest_element_over_all_shards_and_matches_clip_grad_norm()
    {
        var spec = Spec with { ClipGradNorm = 0.05, ClipNormType = double.PositiveInfinity, AccumulationSteps = 2 };
        var norms = new List<double>();
        var reference = SingleProcessReference.Train(spec, LocalReplicas.Train, 5, norms);
        var (trainers, results) = LocalReplicas.Run(spec, 5);
        Assert.True(SingleProcessReference.MaxAbsDifference(reference, trainers[0].Parameters()) <= 1e-5f);
        for (var s = 0; s < 5; s++)
        {
            Assert.Equal(norms[s], results[1][s].GradNorm, 1e-6 * norms[s]);
        }
    }

    [Fact]
    public void Value_clipping_clamps_the_averaged_gradient()
    {
        var seen = new ConcurrentBag<float>();
        IReadOnlyList<IGradientProcessor> Pipeline(int rank) =>
        [
            new AccumulateGradients(1), new AllReduceGradients(), new ClipGradientValues(1e-3),
            new GradientHooks((_, g) =>
            {
                foreach (var v in g.ToArray<float>())
                {
                    seen.Add(v);
                }

                return null;
            }),
            new OptimizerStep(),
        ];
        LocalReplicas.Run(Spec, 1, Pipeline);
        Assert.All(seen, v => Assert.InRange(v, -1e-3f, 1e-3f));
        Assert.Contains(seen, v => Math.Abs(v) == 1e-3f);
    }

    [Fact]
    public void Accumulate_gives_unused_parameters_zero_gradients_so_buckets_line_up()
    {
        var p = Tensor.Ones([3], requiresGrad: true);
        var optimizer = new DistGrad.Optim.SGD([p], 0.1);
        var group = DistGrad.Distributed.Collectives.ProcessGroup.Solo("data-parallel", 0);
        var context = new GradientContext(0, [("w", p)], optimizer, group, DistGrad.Distributed.Collectives.ProcessGroup.Solo("model", 0));
        new AccumulateGradients(2).Run(context);
        Assert.Equal(new float[3], p.Grad!.ToArray<float>());
    }

    private static Tensor? Record(ConcurrentDictionary<int, float[]> into, int rank, Tensor grad)
    {
        into[rank] = grad.ToArray<float>();
        return null;
    }
}
