namespace DistGrad.Distributed.Tests.Training;

/// <summary>The built-in jobs plus jobs whose models fail on purpose, as the tests' programs would define them.</summary>
internal static class TestJobs
{
    public static JobCatalog Catalog { get; } = BuiltInJobs.Catalog().With([
        BuiltInJobs.FashionMnistJob("mlp-fails-at-third-forward", "fails in its third forward", ctx => FailingModels.FailAtForward(ctx.Generator, failingCall: 3), flatten: true),
        BuiltInJobs.FashionMnistJob("mlp-fails-at-sixth-forward", "fails in its sixth forward", ctx => FailingModels.FailAtForward(ctx.Generator, failingCall: 6), flatten: true),
    ]);

    public static TrainingJob Get(string name) => Catalog.Get(name);
}
