using DistGrad.Distributed.Cli;
using DistGrad.Distributed.Security;

namespace DistGrad.Distributed.Tests.Cli;

public class TrainOptionsParserTests
{
    [Fact]
    public void No_options_give_the_default_job_of_cli_md()
    {
        var o = TrainOptionsParser.Parse([]);
        Assert.Equal("mlp", o.Spec.Job);
        Assert.Equal("fashion-mnist-mini", o.Spec.Dataset);
        Assert.Equal(128, o.Spec.BatchSize);
        Assert.Equal(2, o.Spec.DataParallel);
        Assert.Equal(1, o.Spec.PipelineStages);
        Assert.Equal("sgd", o.Spec.Optimizer);
        Assert.Equal(0.1, o.Spec.LearningRate);
        Assert.Equal(0.9, o.Spec.Momentum);
        Assert.Equal(2, o.LocalNodes);
        Assert.Null(o.Spec.ClipGradNorm);
        Assert.False(o.UseCluster);
    }

    [Fact]
    public void Options_set_the_job()
    {
        var o = TrainOptionsParser.Parse(["--model", "cnn", "--steps", "20", "--batch-size", "96", "--accumulation-steps=4",
            "--data-parallel", "3", "--clip-grad-norm", "1.0", "--clip-norm-type", "inf", "--optimizer", "adamw", "--lr", "0.001", "--seed", "9"]);
        Assert.Equal("cnn", o.Spec.Job);
        Assert.Equal(20, o.Spec.Steps);
        Assert.Equal(4, o.Spec.AccumulationSteps);
        Assert.Equal(3, o.Spec.DataParallel);
        Assert.Equal(1.0, o.Spec.ClipGradNorm);
        Assert.Equal(double.PositiveInfinity, o.Spec.ClipNormType);
        Assert.Equal("adamw", o.Spec.Optimizer);
        Assert.Equal(9, o.Spec.Seed);
    }

    [Fact]
    public void A_cluster_coordinator_takes_its_TLS_files_or_insecure()
    {
        var o = TrainOptionsParser.Parse(["--cluster", "--seed-nodes", "akka.tcp://distgrad@127.0.0.1:4053", "--tls-cert", "node.crt", "--tls-key", "node.key", "--tls-ca", "ca.crt"]);
        Assert.Equal(new TlsFiles { Certificate = "node.crt", Key = "node.key", Authority = "ca.crt" }, o.Tls);

        var insecure = TrainOptionsParser.Parse(["--cluster", "--seed-nodes", "akka.tcp://distgrad@127.0.0.1:4053", "--insecure"]);
        Assert.True(insecure.Tls.Insecure);
        Assert.Null(insecure.Tls.Problem());
    }

    [Theory]
    [InlineData("Unrecognized command or argument '--frobnicate'", "--frobnicate")]
    [InlineData("Required argument missing for option: '--batch-size'", "--batch-size")]
    [InlineData("--batch-size must be a positive integer, got 'ten'", "--batch-size", "ten")]
    [InlineData("--lr must be a number, got 'fast'", "--lr", "fast")]
    [InlineData("--batch-size 100 is not divisible by data-parallel × accumulation-steps × micro-batches = 3 × 1 × 1 = 3", "--batch-size", "100", "--data-parallel", "3")]
    [InlineData("--pipeline-stages 6 is more than the 5 cuttable children of model 'mlp' (Linear, ReLU, Linear, ReLU, Linear)", "--pipeline-stages", "6")]
    [InlineData("--partition '3,3' covers 6 layer(s) but model 'mlp' has 5 cuttable children", "--pipeline-stages", "2", "--partition", "3,3")]
    [InlineData("--partition '2,2,1' gives 3 stage(s) but --pipeline-stages is 2", "--pipeline-stages", "2", "--partition", "2,2,1")]
    [InlineData("--job 'resnet' is not a job of this program (jobs: mlp, cnn, mlp-wide)", "--model", "resnet")]
    [InlineData("--job 'resnet' is not a job of this program (jobs: mlp, cnn, mlp-wide)", "--job", "resnet")]
    [InlineData("--optimizer 'lion' is not one of sgd, adam, adamw", "--optimizer", "lion")]
    [InlineData("--schedule must be one of gpipe, 1f1b, got 'zb'", "--schedule", "zb")]
    [InlineData("--cluster needs --seed-nodes", "--cluster")]
    [InlineData("--clip-grad-norm must be a positive number, got -1", "--clip-grad-norm", "-1")]
    [InlineData("--data-dir '/nonexistent/fashion' does not exist", "--dataset", "fashion-mnist", "--data-dir", "/nonexistent/fashion")]
    [InlineData("--devices: unknown device \"tpu\"", "--devices", "tpu")]
    [InlineData("--devices places the embedded cluster's workers", "--cluster", "--seed-nodes", "akka.tcp://distgrad@127.0.0.1:4053", "--insecure", "--devices", "cpu")]
    [InlineData("a cluster node runs mutual TLS: give --tls-cert and --tls-key (or --tls-pkcs12) and --tls-ca", "--cluster", "--seed-nodes", "akka.tcp://distgrad@127.0.0.1:4053")]
    [InlineData("--tls-cert needs --tls-key", "--cluster", "--seed-nodes", "akka.tcp://distgrad@127.0.0.1:4053", "--tls-cert", "node.crt", "--tls-ca", "ca.crt")]
    [InlineData("--tls-key needs --tls-cert", "--cluster", "--seed-nodes", "akka.tcp://distgrad@127.0.0.1:4053", "--tls-key", "node.key", "--tls-ca", "ca.crt")]
    [InlineData("--tls-ca is missing", "--cluster", "--seed-nodes", "akka.tcp://distgrad@127.0.0.1:4053", "--tls-cert", "node.crt", "--tls-key", "node.key")]
    [InlineData("give --tls-pkcs12 or --tls-cert with --tls-key, not both", "--cluster", "--seed-nodes", "akka.tcp://distgrad@127.0.0.1:4053", "--tls-pkcs12", "node.p12", "--tls-cert", "node.crt", "--tls-ca", "ca.crt")]
    [InlineData("--insecure turns TLS off, so it cannot be given with", "--cluster", "--seed-nodes", "akka.tcp://distgrad@127.0.0.1:4053", "--insecure", "--tls-ca", "ca.crt")]
    [InlineData("--tls-cert is only used with --cluster", "--tls-cert", "node.crt")]
    [InlineData("--insecure is only used with --cluster", "--insecure")]
    public void Bad_input_gets_one_line_naming_the_problem(string expected, params string[] args)
    {
        var e = Assert.Throws<UsageException>(() => TrainOptionsParser.Parse(args));
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public async Task The_help_lists_every_option()
    {
        using var output = new StringWriter();
        Assert.Equal(0, await DistGradApp.RunAsync(["train", "--help"], BuiltInJobs.All, output, output));
        foreach (var name in TrainOptionsParser.OptionNames.Append("--job-assembly").Append("--config").Append("--print-config"))
        {
            Assert.Contains(name, output.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Options_the_command_line_leaves_out_come_from_the_environment_then_the_config_file_then_the_job()
    {
        using var dir = new TempDirectory();
        var file = Path.Combine(dir.Path, "job.conf");
        File.WriteAllText(file, "distgrad.train { batch-size = 64, lr = 0.05, steps = 7, no-eval = true }\nakka.loglevel = WARNING");
        var sources = ConfigurationSources.Load(file, new System.Collections.Hashtable { ["DISTGRAD_LR"] = "0.02", ["DISTGRAD_SEED"] = "5", ["HOME"] = "/root" });
        var job = BuiltInJobs.Mlp with { Defaults = new JobSpec { Momentum = 0.5, Seed = 1 } };

        var o = TrainOptionsParser.Parse(["--steps", "3"], new JobCatalog([job]), sources);

        Assert.Equal(3, o.Spec.Steps);              // command line
        Assert.Equal(0.02, o.Spec.LearningRate);    // environment over the file
        Assert.Equal(5, o.Spec.Seed);               // environment over the job
        Assert.Equal(64, o.Spec.BatchSize);         // file
        Assert.False(o.Spec.Evaluate);              // file, a switch
        Assert.Equal(0.5, o.Spec.Momentum);         // the job's own default
        Assert.Equal("WARNING", o.AkkaOverrides!.GetString("akka.loglevel"));
    }

    [Fact]
    public async Task An_unknown_job_lists_the_jobs_and_a_missing_job_assembly_is_named()
    {
        using var error = new StringWriter();
        Assert.Equal(2, await DistGradApp.RunAsync(["train", "--job", "resnet"], BuiltInJobs.All, TextWriter.Null, error));
        Assert.Contains("--job 'resnet' is not a job of this program (jobs: mlp, cnn, mlp-wide)", error.ToString(), StringComparison.Ordinal);

        using var missing = new StringWriter();
        Assert.Equal(2, await DistGradApp.RunAsync(["worker", "--seed-nodes", "akka.tcp://distgrad@127.0.0.1:1", "--job-assembly", "/nonexistent/Jobs.dll"], BuiltInJobs.All, TextWriter.Null, missing));
        Assert.Contains("--job-assembly '/nonexistent/Jobs.dll' does not exist", missing.ToString(), StringComparison.Ordinal);
        Assert.Single(missing.ToString().Trim().Split('\n'));
    }

    [Fact]
    public async Task An_unwritable_run_directory_is_one_line_naming_it()
    {
        using var error = new StringWriter();
        Assert.Equal(1, await DistGradApp.RunAsync(["train", "--steps", "1", "--out", "/proc/distgrad-run"], BuiltInJobs.All, TextWriter.Null, error));
        Assert.Contains("cannot write the run directory /proc/distgrad-run", error.ToString(), StringComparison.Ordinal);
        Assert.Single(error.ToString().Trim().Split('\n'));
    }

    [Fact]
    public async Task Print_config_shows_the_effective_options()
    {
        using var output = new StringWriter();
        Assert.Equal(0, await DistGradApp.RunAsync(["train", "--model", "cnn", "--batch-size", "32", "--print-config"], BuiltInJobs.All, output, TextWriter.Null));
        Assert.Contains("job = \"cnn\"", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("batch-size = 32", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("dot-netty", output.ToString(), StringComparison.Ordinal);
    }
}
