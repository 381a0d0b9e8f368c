using DistGrad.Distributed.Cli;

namespace DistGrad.Distributed.Tests.Cli;

public class TrainOptionsParserTests
{
    [Fact]
    public void No_options_give_the_default_job_of_cli_md()
    {
        var o = TrainOptionsParser.Parse([]);
        Assert.Equal("mlp", o.Job.Model);
        Assert.Equal("fashion-mnist-mini", o.Job.Dataset);
        Assert.Equal(128, o.Job.BatchSize);
        Assert.Equal(2, o.Job.DataParallel);
        Assert.Equal(1, o.Job.PipelineStages);
        Assert.Equal("sgd", o.Job.Optimizer);
        Assert.Equal(0.1, o.Job.LearningRate);
        Assert.Equal(0.9, o.Job.Momentum);
        Assert.Equal(2, o.LocalNodes);
        Assert.Null(o.Job.ClipGradNorm);
        Assert.False(o.UseCluster);
    }

    [Fact]
    public void Options_set_the_job()
    {
        var o = TrainOptionsParser.Parse(["--model", "cnn", "--steps", "20", "--batch-size", "96", "--accumulation-steps=4",
            "--data-parallel", "3", "--clip-grad-norm", "1.0", "--clip-norm-type", "inf", "--optimizer", "adamw", "--lr", "0.001", "--seed", "9"]);
        Assert.Equal("cnn", o.Job.Model);
        Assert.Equal(20, o.Job.Steps);
        Assert.Equal(4, o.Job.AccumulationSteps);
        Assert.Equal(3, o.Job.DataParallel);
        Assert.Equal(1.0, o.Job.ClipGradNorm);
        Assert.Equal(double.PositiveInfinity, o.Job.ClipNormType);
        Assert.Equal("adamw", o.Job.Optimizer);
        Assert.Equal(9, o.Job.Seed);
    }

    [Theory]
    [InlineData("unknown option '--frobnicate'", "--frobnicate")]
    [InlineData("--batch-size needs a value", "--batch-size")]
    [InlineData("--batch-size must be a positive integer, got 'ten'", "--batch-size", "ten")]
    [InlineData("--lr must be a number, got 'fast'", "--lr", "fast")]
    [InlineData("--batch-size 100 is not divisible by data-parallel × accumulation-steps × micro-batches = 3 × 1 × 1 = 3", "--batch-size", "100", "--data-parallel", "3")]
    [InlineData("--pipeline-stages 6 is more than the 5 cuttable children of model 'mlp' (Linear, ReLU, Linear, ReLU, Linear)", "--pipeline-stages", "6")]
    [InlineData("--partition '3,3' covers 6 layer(s) but model 'mlp' has 5 cuttable children", "--pipeline-stages", "2", "--partition", "3,3")]
    [InlineData("--partition '2,2,1' gives 3 stage(s) but --pipeline-stages is 2", "--pipeline-stages", "2", "--partition", "2,2,1")]
    [InlineData("--model 'resnet' is not a known model", "--model", "resnet")]
    [InlineData("--optimizer 'lion' is not one of sgd, adam, adamw", "--optimizer", "lion")]
    [InlineData("--schedule must be one of gpipe, 1f1b, got 'zb'", "--schedule", "zb")]
    [InlineData("--cluster needs --seed-nodes", "--cluster")]
    [InlineData("--clip-grad-norm must be a positive number, got -1", "--clip-grad-norm", "-1")]
    [InlineData("--data-dir '/nonexistent/fashion' does not exist", "--dataset", "fashion-mnist", "--data-dir", "/nonexistent/fashion")]
    [InlineData("--devices: unknown device \"tpu\"", "--devices", "tpu")]
    [InlineData("--devices places the embedded cluster's workers", "--cluster", "--seed-nodes", "akka.tcp://distgrad@127.0.0.1:4053", "--devices", "cpu")]
    public void Bad_input_gets_one_line_naming_the_problem(string expected, params string[] args)
    {
        var e = Assert.Throws<UsageException>(() => TrainOptionsParser.Parse(args));
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void The_help_lists_every_option()
    {
        foreach (var name in TrainOptionsParser.OptionNames)
        {
            Assert.Contains(name, HelpText.Train);
        }
    }
}
