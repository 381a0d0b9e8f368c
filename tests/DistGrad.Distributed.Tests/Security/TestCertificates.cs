using DistGrad.Distributed.Security;

namespace DistGrad.Distributed.Tests.Security;

/// <summary>
/// The TLS material of the tests' cluster (one CA, made once per test run) and of a stranger (another CA), in memory
/// and as the PEM files <c>distgrad certs</c> writes, for child processes.
/// </summary>
internal static class TestCertificates
{
    private static readonly Lazy<string> ClusterFolder = new(() => Create("distgrad-test"));
    private static readonly Lazy<string> StrangerFolder = new(() => Create("stranger"));

    /// <summary>The folder with ca.crt, tls.crt and tls.key of the tests' cluster.</summary>
    public static string Cluster => ClusterFolder.Value;

    /// <summary>The same layout, from a CA the cluster does not trust.</summary>
    public static string Stranger => StrangerFolder.Value;

    public static NodeCertificates ClusterNode() => CertificateFiles.Read(Cluster);

    public static NodeCertificates StrangerNode() => CertificateFiles.Read(Stranger);

    /// <summary>The DISTGRAD_TLS_* variables that give a child process the certificates in <paramref name="folder"/>.</summary>
    public static Dictionary<string, string> Environment(string folder) => new()
    {
        ["DISTGRAD_TLS_CERT"] = Path.Combine(folder, CertificateFiles.Certificate),
        ["DISTGRAD_TLS_KEY"] = Path.Combine(folder, CertificateFiles.Key),
        ["DISTGRAD_TLS_CA"] = Path.Combine(folder, CertificateFiles.Authority),
    };

    private static string Create(string name)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"distgrad-tls-{name}-{System.Environment.ProcessId}");
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        CertificateFiles.Create(folder, name, TimeSpan.FromDays(2));
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(folder, recursive: true);
        return folder;
    }
}
