using System.Collections.Concurrent;
using DistGrad.Distributed.Cli;
using DistGrad.Distributed.Gradients;
using DistGrad.Distributed.Running;
using DistGrad.Distributed.Tests.Cluster;
using DistGrad.Distributed.Tests.Training;
using DistGrad.Distributed.Training;
using DistGrad.Nn;
using DistGrad.Optim;

namespace DistGrad.Distributed.Tests.Jobs;

/// <summary>What a user's job defines reaches every worker: hooks at their place in the gradient pipeline, the LR scheduler, the callbacks, the fingerprint.</summary>
[Collection(ClusterCollection.Name)]
public class TrainingJobTests
{
    private static readonly JobSpec TwoReplicas = new() { Job = "mlp", BatchSize = 32, DataParallel = 2, Seed = 3, Evaluate = false };

    [Fact]
    public void A_hook_before_the_all_reduce_sees_the_replica_s_own_gradients_and_one_after_it_the_average()
    {
        var before = new ConcurrentDictionary<int, Dictionary<string, float[]>>();
        var after = new ConcurrentDictionary<int, Dictionary<string, float[]>>();
        Func<JobContext, IGradientProcessor> Record(ConcurrentDictionary<int, Dictionary<string, float[]>> into) =>
            ctx => new GradientHooks(c => into[ctx.Rank] = c.Parameters.ToDictionary(p => p.Name, p => p.Parameter.Grad!.ToArray<float>()), "Record");
        var job = BuiltInJobs.Mlp with { BeforeAllReduce = [Record(before)], AfterAllReduce = [Record(after)] };

        LocalReplicas.Run(job, TwoReplicas, steps: 1);

        // Before: replica 0's gradient is the one of its own half of the batch, computed here independently.
        var local = LocalGradients(TwoReplicas, replica: 0);
        foreach (var (name, grad) in local)
        {
            Assert.True(MaxAbs(grad, before[0][name]) <= 1e-6f, $"{name}: the hook before the all-reduce did not see rank 0's own gradient");
        }

        Assert.True(MaxAbs(before[0]["0.weight"], before[1]["0.weight"]) > 1e-4f, "the replicas' own gradients should differ");
        // After: every rank sees the same average of the replicas' gradients.
        foreach (var name in local.Keys)
        {
            var mean = before[0][name].Zip(before[1][name], (a, b) => (a + b) / 2).ToArray();
            Assert.True(MaxAbs(mean, after[0][name]) <= 1e-6f, $"{name}: rank 0 after the all-reduce is not the average");
            Assert.True(MaxAbs(after[0][name], after[1][name]) == 0f, $"{name}: the ranks disagree after the all-reduce");
        }
    }

    [Fact]
    public void The_job_s_loss_optimizer_and_scheduler_are_what_the_workers_train_with()
    {
        var losses = new ConcurrentBag<int>();
        var job = BuiltInJobs.Mlp with
        {
            // Twice the cross-entropy: the reported loss must be twice the built-in job's.
            Loss = (output, target) => Functional.CrossEntropy(output, target) * 2f,
            Optimizer = (_, parameters) => new SGD(parameters, lr: 0.05),
            Scheduler = (_, optimizer) => new StepLR(optimizer, stepSize: 2, gamma: 0.5),
        };

        var (_, custom) = LocalReplicas.Run(job, TwoReplicas, steps: 5);
        var (_, plain) = LocalReplicas.Run(BuiltInJobs.Mlp, TwoReplicas with { Optimizer = "sgd", Momentum = 0, LearningRate = 0.05 }, steps: 1);

        Assert.Equal([0.05, 0.05, 0.025, 0.025, 0.0125], custom[0].Select(r => Math.Round(r.LearningRate, 6)));
        Assert.Equal(2 * plain[0][0].Loss, custom[0][0].Loss, 5);
    }

    [Fact]
    public async Task Callbacks_run_on_the_coordinator_at_every_step_epoch_and_checkpoint()
    {
        var steps = new ConcurrentQueue<StepEnd>();
        var epochs = new ConcurrentQueue<EpochEnd>();
        var checkpoints = new ConcurrentQueue<CheckpointWritten>();
        var job = BuiltInJobs.Mlp with
        {
            Scheduler = (_, optimizer) => new StepLR(optimizer, stepSize: 4, gamma: 0.5),
            OnStepEnd = steps.Enqueue,
            OnEpochEnd = epochs.Enqueue,
            OnCheckpointWritten = checkpoints.Enqueue,
        };
        var jobs = new JobCatalog([job]);
        using var dir = new TempDirectory();
        // The bundled 6,000 images in batches of 1,000: 6 steps an epoch.
        var options = TrainOptionsParser.Parse(["--batch-size", "1000", "--epochs", "2", "--checkpoint-every", "6", "--no-eval", "--out", dir.Path], jobs, ConfigurationSources.None);

        var outcome = await TrainCommand.RunAsync(jobs, options, TextWriter.Null, interactive: false);

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Equal(Enumerable.Range(1, 12).Select(s => (long)s), steps.Select(s => s.Step));
        Assert.Equal([0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.025], steps.Select(s => Math.Round(s.LearningRate, 6)));
        Assert.Equal([(1, 6L), (2, 12L)], epochs.Select(e => (e.Epoch, e.Step)));
        Assert.Equal(steps.Take(6).Average(s => s.Loss), epochs.First().MeanLoss, 9);
        Assert.Equal([6L, 12L], checkpoints.Select(c => c.Step));
        Assert.All(checkpoints, c => Assert.True(File.Exists(Path.Combine(c.Directory, "checkpoint.json")), $"{c.Directory} has no checkpoint.json"));
    }

    [Fact]
    public async Task A_model_that_builds_other_shapes_on_another_worker_fails_the_job_before_step_1_with_both_fingerprints()
    {
        var job = new TrainingJob("rank-shaped")
        {
            Model = ctx => new Sequential(new Linear(784, 16 + ctx.Rank, generator: ctx.Generator), new ReLU(), new Linear(16 + ctx.Rank, 10, generator: ctx.Generator)),
            TrainingData = BuiltInJobs.Mlp.TrainingData,
        };
        var jobs = new JobCatalog([job]);
        using var dir = new TempDirectory();
        var options = TrainOptionsParser.Parse(["--steps", "3", "--batch-size", "32", "--no-eval", "--out", dir.Path], jobs, ConfigurationSources.None);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var outcome = await TrainCommand.RunAsync(jobs, options, TextWriter.Null, interactive: false);

        Assert.False(outcome.Succeeded);
        Assert.Equal(0, outcome.Steps);
        Assert.Contains("worker rank 1 on akka.ssl.tcp://distgrad@127.0.0.1:", outcome.Error, StringComparison.Ordinal);
        Assert.Contains("built a different job (parameter 0: 0.weight[16,784] vs 0.weight[17,784])", outcome.Error, StringComparison.Ordinal);
        var expected = JobFingerprint.Of(job, options.Spec);
        Assert.Contains($"coordinator fingerprint {expected.Hash}", outcome.Error, StringComparison.Ordinal);
        Assert.Contains($"worker's {JobFingerprint.Of(job, options.Spec, rank: 1).Hash}", outcome.Error, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
    }

    [Fact]
    public void A_fingerprint_names_its_first_difference()
    {
        var spec = new JobSpec();
        var mlp = JobFingerprint.Of(BuiltInJobs.Mlp, spec);
        Assert.Null(mlp.FirstDifference(JobFingerprint.Of(BuiltInJobs.Mlp, spec)));
        Assert.Equal("job 'mlp' vs 'cnn'", mlp.FirstDifference(JobFingerprint.Of(BuiltInJobs.Cnn, spec)));
        var clipped = JobFingerprint.Of(BuiltInJobs.Mlp, spec with { ClipGradNorm = 1.0 });
        Assert.Equal("gradient pipeline Accumulate(1) → AllReduce(data-parallel) → GradNorm(2) → OptimizerStep vs Accumulate(1) → AllReduce(data-parallel) → GlobalNormClip(1, 2) → OptimizerStep", mlp.FirstDifference(clipped));
        Assert.NotEqual(mlp.Hash, clipped.Hash);
    }

    /// <summary>The gradient of replica <paramref name="replica"/>'s slice of step 0, by the core API alone.</summary>
    private static Dictionary<string, float[]> LocalGradients(JobSpec spec, int replica)
    {
        var model = BuiltInJobs.MlpModel(new Generator(spec.Seed));
        var plan = new GlobalBatchPlan(LocalReplicas.Train.Count, spec.BatchSize, spec.DataParallel, 1, spec.Seed);
        var (x, y) = LocalReplicas.Train.GetBatch(plan.Indices(0, replica, 0));
        Functional.CrossEntropy(model.Forward(x.Reshape(x.Size(0), -1)), y).Backward();
        return model.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter.Grad!.ToArray<float>());
    }

    private static float MaxAbs(float[] a, float[] b) => a.Zip(b, (u, v) => Math.Abs(u - v)).Max();
}
