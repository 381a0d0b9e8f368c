using DistGrad;
using DistGrad.Data;
using DistGrad.Distributed;
using DistGrad.Distributed.Gradients;
using DistGrad.Nn;

// A user's training program, built by the package tests against the DistGrad packages alone.
return DistGradApp.Run(args, UserJobs.Blobs);

public static class UserJobs
{
    // USER_HIDDEN changes the model: a node started with another value runs "another build" of the job.
    private static readonly int Hidden = int.Parse(Environment.GetEnvironmentVariable("USER_HIDDEN") ?? "16", System.Globalization.CultureInfo.InvariantCulture);

    public static TrainingJob Blobs { get; } = new("user-blobs")
    {
        Description = "a user's MLP on generated blobs, with a gradient hook that logs every call",
        Defaults = new JobSpec { BatchSize = 48, Steps = 6, DataParallel = 2, LearningRate = 0.05, Seed = 11, Evaluate = false },
        Model = ctx => new Sequential(new Linear(8, Hidden, generator: ctx.Generator), new Tanh(), new Linear(Hidden, 3, generator: ctx.Generator)),
        TrainingData = ctx => Generate(960, ctx.Spec.Seed),
        Loss = (output, target) => Functional.CrossEntropy(output, target),
        // After the all-reduce: each call appends "step" to this rank's file under HOOK_LOG.
        AfterAllReduce = [ctx => new GradientHooks(c => Log(ctx.Rank, c.Step), "LogHook")],
    };

    private static void Log(int rank, long step)
    {
        if (Environment.GetEnvironmentVariable("HOOK_LOG") is { } dir)
        {
            File.AppendAllText(Path.Combine(dir, $"rank{rank}.txt"), $"{step}\n");
        }
    }

    private static TensorDataset Generate(int samples, long seed)
    {
        var generator = new Generator(seed);
        var x = new float[samples * 8];
        var y = new long[samples];
        for (var i = 0; i < samples; i++)
        {
            y[i] = i % 3;
            for (var j = 0; j < 8; j++)
            {
                x[(i * 8) + j] = (float)(generator.NextNormal() + (j % 3 == y[i] ? 1.5 : 0));
            }
        }

        return new TensorDataset(Tensor.From(x, [samples, 8]), Tensor.From(y));
    }
}
