using DistGrad.Distributed.Training;
using DistGrad.Data;
using DistGrad.Nn;

namespace DistGrad.Distributed.Tests.Training;

/// <summary>
/// Plain single-process training, written with the core API alone as a user would (no stages, no
/// groups): the whole global batch in one forward, mean cross-entropy, backward, clip_grad_norm_, SGD.
/// The distributed runs must end where this ends.
/// </summary>
internal static class SingleProcessReference
{
    public static IReadOnlyDictionary<string, Tensor> Train(JobSpec spec, TensorDataset train, int steps, List<double>? gradNorms = null)
    {
        var model = TestJobs.Get(spec.Job).Model(new JobContext(spec));
        var optimizer = OptimizerFactory.Create(spec, model.Parameters());
        var plan = new GlobalBatchPlan(train.Count, spec.BatchSize, 1, 1, spec.Seed);
        for (var step = 0; step < steps; step++)
        {
            var (x, y) = train.GetBatch(plan.Indices(step, 0, 0));
            if (spec.Job == "mlp")
            {
                x = x.Reshape(x.Size(0), -1);
            }

            optimizer.ZeroGrad();
            Functional.CrossEntropy(model.Forward(x), y).Backward();
            if (spec.ClipGradNorm is { } maxNorm)
            {
                // Clip whether or not the caller collects the norms (a null-conditional call would skip the clipping too).
                var norm = ClipGrad.Norm(model.Parameters(), maxNorm, spec.ClipNormType).Item();
                gradNorms?.Add(norm);
            }

            optimizer.Step();
        }

        return model.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter.Detach());
    }

    public static float MaxAbsDifference(IReadOnlyDictionary<string, Tensor> a, IReadOnlyDictionary<string, Tensor> b)
    {
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        return a.Keys.Max(k => (float)(a[k] - b[k]).Abs().Max().Item());
    }
}
