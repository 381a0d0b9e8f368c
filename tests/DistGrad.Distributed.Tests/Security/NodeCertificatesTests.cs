using System.Diagnostics;
using DistGrad.Distributed.Security;
using DistGrad.Distributed.Tests.Kubernetes;

namespace DistGrad.Distributed.Tests.Security;

/// <summary>Which certificates a node accepts, and how bad TLS material is reported.</summary>
[Trait("Category", "Security")]
public class NodeCertificatesTests
{
    [Fact]
    public void A_certificate_of_the_clusters_CA_is_accepted()
    {
        var node = TestCertificates.ClusterNode();
        using var other = CertificateFiles.Read(TestCertificates.Cluster).Certificate;
        Assert.Null(node.Check(other));
    }

    [Fact]
    public void A_certificate_of_another_CA_is_refused_naming_it()
    {
        var node = TestCertificates.ClusterNode();
        var problem = node.Check(TestCertificates.StrangerNode().Certificate);
        Assert.NotNull(problem);
        Assert.Contains("CN=stranger", problem);
        Assert.Contains("not trusted", problem);
    }

    [Fact]
    public void No_certificate_is_refused()
    {
        var node = TestCertificates.ClusterNode();
        Assert.False(node.Accepts(null, System.Net.Security.SslPolicyErrors.RemoteCertificateNotAvailable, out var problem));
        Assert.Equal("it presented no certificate", problem);
    }

    [Fact]
    public void A_key_that_does_not_match_its_certificate_is_an_error_naming_the_files()
    {
        var cluster = TestCertificates.Cluster;
        var e = Assert.Throws<CertificateProblemException>(() => NodeCertificates.FromPem(
            Path.Combine(cluster, CertificateFiles.Certificate), Path.Combine(TestCertificates.Stranger, CertificateFiles.Key), Path.Combine(cluster, CertificateFiles.Authority)));
        Assert.Contains("--tls-cert", e.Message);
        Assert.Contains(CertificateFiles.Key, e.Message);
    }

    [Fact]
    public void A_node_whose_own_certificate_its_CA_did_not_sign_is_refused_at_start()
    {
        var e = Assert.Throws<CertificateProblemException>(() => NodeCertificates.FromPem(
            Path.Combine(TestCertificates.Stranger, CertificateFiles.Certificate), Path.Combine(TestCertificates.Stranger, CertificateFiles.Key), Path.Combine(TestCertificates.Cluster, CertificateFiles.Authority)));
        Assert.Contains("would be refused by its peers", e.Message);
    }

    [Fact]
    public void A_missing_file_is_an_error_naming_it()
    {
        var e = Assert.Throws<CertificateProblemException>(() => NodeCertificates.FromPem("/nonexistent/tls.crt", "/nonexistent/tls.key", "/nonexistent/ca.crt"));
        Assert.Contains("/nonexistent/tls.crt", e.Message);
    }

    [Fact]
    public void A_pkcs12_file_with_its_password_loads()
    {
        using var temp = new TempDirectory();
        var source = TestCertificates.ClusterNode();
        var path = Path.Combine(temp.Path, "node.p12");
        File.WriteAllBytes(path, source.Certificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pkcs12, "s3cret"));
        var loaded = NodeCertificates.FromPkcs12(path, "s3cret", Path.Combine(TestCertificates.Cluster, CertificateFiles.Authority));
        Assert.Equal(source.Certificate.Thumbprint, loaded.Certificate.Thumbprint);
        Assert.Throws<CertificateProblemException>(() => NodeCertificates.FromPkcs12(path, "wrong", Path.Combine(TestCertificates.Cluster, CertificateFiles.Authority)));
    }

    [Theory]
    [InlineData(null, null, null, null, false, "--insecure to run without TLS")]
    [InlineData("c", null, null, "ca", false, "--tls-cert needs --tls-key")]
    [InlineData(null, "k", null, "ca", false, "--tls-key needs --tls-cert")]
    [InlineData("c", "k", "p", "ca", false, "not both")]
    [InlineData("c", "k", null, null, false, "--tls-ca is missing")]
    [InlineData("c", "k", null, "ca", true, "--insecure turns TLS off")]
    [InlineData("c", "k", null, "ca", false, null)]
    [InlineData(null, null, "p", "ca", false, null)]
    [InlineData(null, null, null, null, true, null)]
    public void Incomplete_or_contradictory_options_are_named(string? cert, string? key, string? pkcs12, string? ca, bool insecure, string? expected)
    {
        var problem = new TlsFiles { Certificate = cert, Key = key, Pkcs12 = pkcs12, Authority = ca, Insecure = insecure }.Problem();
        if (expected is null)
        {
            Assert.Null(problem);
        }
        else
        {
            Assert.Contains(expected, problem);
        }
    }

    [RequiresProgramFact("openssl", "openssl")]
    public void Openssl_verifies_the_certificates_certs_writes_and_sees_both_purposes()
    {
        var folder = TestCertificates.Cluster;
        var verify = Tools.Run("openssl", "verify", "-purpose", "sslclient", "-CAfile", Path.Combine(folder, CertificateFiles.Authority), Path.Combine(folder, CertificateFiles.Certificate));
        Assert.Contains(": OK", verify);
        verify = Tools.Run("openssl", "verify", "-purpose", "sslserver", "-CAfile", Path.Combine(folder, CertificateFiles.Authority), Path.Combine(folder, CertificateFiles.Certificate));
        Assert.Contains(": OK", verify);
        var wrong = Tools.Run("openssl", "verify", "-CAfile", Path.Combine(TestCertificates.Stranger, CertificateFiles.Authority), Path.Combine(folder, CertificateFiles.Certificate));
        Assert.DoesNotContain(": OK", wrong);
    }

    [RequiresProgramFact("openssl", "openssl")]
    public void Certificates_made_with_the_openssl_recipe_of_docs_SECURITY_load_and_are_trusted_by_their_CA_only()
    {
        using var folder = new TempDirectory();
        string In(string file) => Path.Combine(folder.Path, file);
        var ec = new[] { "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes" };
        Tools.Check("openssl", ["req", "-x509", .. ec, "-days", "365", "-subj", "/CN=distgrad CA", "-keyout", In("ca.key"), "-out", In("ca.crt")]);
        Tools.Check("openssl", ["req", .. ec, "-subj", "/CN=node-1", "-keyout", In("tls.key"), "-out", In("node.csr")]);
        File.WriteAllText(In("node.ext"), "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth,clientAuth\n");
        Tools.Check("openssl", ["x509", "-req", "-in", In("node.csr"), "-CA", In("ca.crt"), "-CAkey", In("ca.key"), "-CAcreateserial", "-days", "365", "-extfile", In("node.ext"), "-out", In("tls.crt")]);

        var node = NodeCertificates.FromPem(In("tls.crt"), In("tls.key"), In("ca.crt"));
        var ours = CertificateFiles.Read(TestCertificates.Cluster);

        Assert.True(node.Certificate.HasPrivateKey);
        Assert.Null(node.Check(node.Certificate));
        Assert.NotNull(node.Check(ours.Certificate));
        Assert.NotNull(ours.Check(node.Certificate));
    }

    private static class Tools
    {
        public static void Check(string program, string[] args)
        {
            var (exitCode, output) = Execute(program, args);
            Assert.True(exitCode == 0, $"{program} {string.Join(' ', args)} failed: {output}");
        }

        public static string Run(string program, params string[] args) => Execute(program, args).Output;

        private static (int ExitCode, string Output) Execute(string program, string[] args)
        {
            var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in args)
            {
                start.ArgumentList.Add(a);
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output);
        }
    }
}
