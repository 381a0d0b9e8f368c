using DistGrad.Distributed.Cli;
using DistGrad.Distributed.Security;

namespace DistGrad.Distributed.Tests.Cli;

public class WorkerOptionsParserTests
{
    private static readonly string[] Seed = ["--seed-nodes", "akka.ssl.tcp://distgrad@127.0.0.1:4053"];

    [Fact]
    public void A_worker_without_certificates_or_insecure_is_refused_naming_both_ways_out()
    {
        var e = Assert.Throws<UsageException>(() => WorkerOptionsParser.Parse(Seed));
        Assert.Contains("--tls-cert and --tls-key (or --tls-pkcs12) and --tls-ca", e.Message, StringComparison.Ordinal);
        Assert.Contains("--insecure", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_TLS_files_come_from_DISTGRAD_variables_as_a_Kubernetes_Secret_mount_gives_them()
    {
        var environment = new Dictionary<string, string>
        {
            ["DISTGRAD_TLS_CERT"] = "/etc/distgrad/tls/tls.crt",
            ["DISTGRAD_TLS_KEY"] = "/etc/distgrad/tls/tls.key",
            ["DISTGRAD_TLS_CA"] = "/etc/distgrad/tls/ca.crt",
        };

        var o = WorkerOptionsParser.Parse(Seed, ConfigurationSources.Load(null, environment));

        Assert.Equal(new TlsFiles { Certificate = "/etc/distgrad/tls/tls.crt", Key = "/etc/distgrad/tls/tls.key", Authority = "/etc/distgrad/tls/ca.crt" }, o.Tls);
    }

    [Fact]
    public void A_PKCS12_file_with_a_CA_is_whole_and_insecure_alone_is_an_explicit_choice()
    {
        Assert.Null(WorkerOptionsParser.Parse([.. Seed, "--tls-pkcs12", "node.p12", "--tls-ca", "ca.crt"]).Tls.Problem());
        Assert.True(WorkerOptionsParser.Parse([.. Seed, "--insecure"]).Tls.Insecure);
    }
}
