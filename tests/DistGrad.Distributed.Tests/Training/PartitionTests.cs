using DistGrad.Distributed.Pipeline;

namespace DistGrad.Distributed.Tests.Training;

/// <summary>Cutting a model into pipeline stages: balanced contiguous runs, explicit sizes, and the errors.</summary>
public class PartitionTests
{
    [Theory]
    [InlineData(new double[] { 5, 1, 1, 1, 5 }, 2, new[] { 3, 2 })]
    [InlineData(new double[] { 5, 1, 1, 1, 5 }, 3, new[] { 1, 3, 1 })]
    [InlineData(new double[] { 1, 1, 1, 1 }, 4, new[] { 1, 1, 1, 1 })]
    [InlineData(new double[] { 10, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 }, 2, new[] { 1, 10 })]
    public void The_balancer_minimises_the_largest_stage(double[] costs, int parts, int[] expected) =>
        // By hand: {5,1,1}|{1,5} and {5,1}|{1,1,5} both have max 7 and no cut does better; of equals the
        // earlier stage takes the extra layer. {5}|{1,1,1}|{5} has max 5.
        Assert.Equal(expected, ContiguousBalancer.Balance(costs, parts));

    [Fact]
    public void Parameter_counts_cut_the_mlp_after_its_first_layer_and_mlp_wide_into_even_halves()
    {
        // mlp: 200,960 | 0 | 32,896 | 0 | 1,290 parameters; the first layer alone outweighs the rest.
        Assert.Equal([1, 4], ModelPartitioner.ResolveSizes(BuiltInJobs.Mlp, new JobSpec { Job = "mlp", PipelineStages = 2 }));
        // mlp-wide: two blocks of 3,213,584 parameters and a 7,850-parameter classifier.
        Assert.Equal([4, 5], ModelPartitioner.ResolveSizes(BuiltInJobs.MlpWide, new JobSpec { Job = "mlp-wide", PipelineStages = 2 }));
    }

    [Fact]
    public void A_shard_keeps_the_names_its_layers_have_in_the_whole_model()
    {
        var model = BuiltInJobs.MlpModel(new Generator(1));
        var shard = ModelPartitioner.Shard(model, "mlp", [2, 3], 1);
        Assert.Equal(["2.weight", "2.bias", "4.weight", "4.bias"], shard.NamedParameters().Select(p => p.Name));
    }

    [Fact]
    public void A_profile_partition_covers_every_layer_with_one_run_per_stage()
    {
        var sizes = ModelPartitioner.ResolveSizes(BuiltInJobs.Cnn, new JobSpec { Job = "cnn", PipelineStages = 3, Partition = ModelPartitioner.ByProfile, BatchSize = 16 });
        Assert.Equal(3, sizes.Length);
        Assert.Equal(10, sizes.Sum());
        Assert.All(sizes, s => Assert.True(s >= 1));
    }

    [Theory]
    [InlineData("6", 1, "--partition '6' covers 6 layer(s) but model 'mlp' has 5 cuttable children")]
    [InlineData("2,x", 2, "'x' is not a positive integer")]
    [InlineData("0,5", 2, "'0' is not a positive integer")]
    public void Explicit_sizes_are_checked(string partition, int stages, string expected)
    {
        var problems = JobSpecValidation.Problems(BuiltInJobs.Mlp, new JobSpec { Job = "mlp", PipelineStages = stages, Partition = partition, DataParallel = 1 });
        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void A_profile_is_never_measured_by_a_worker()
    {
        var model = BuiltInJobs.MlpModel(new Generator(1));
        var error = Assert.Throws<InvalidOperationException>(() => ModelPartitioner.Sizes(model, new JobSpec { PipelineStages = 2, Partition = ModelPartitioner.ByProfile }));
        Assert.Contains("measured once by the coordinator", error.Message, StringComparison.Ordinal);
    }
}
