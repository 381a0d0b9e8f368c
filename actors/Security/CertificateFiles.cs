using System.Security.Cryptography.X509Certificates;

namespace DistGrad.Distributed.Security;

/// <summary>
/// A cluster's TLS material as PEM files in one folder, the layout <c>distgrad certs</c> writes and a Kubernetes
/// Secret mounts: the CA's certificate (what every node trusts), one node certificate and its key that every node
/// presents, and the CA's key (kept by whoever issues more, never mounted).
/// </summary>
public static class CertificateFiles
{
    public const string Authority = "ca.crt";
    public const string AuthorityKey = "ca.key";
    public const string Certificate = "tls.crt";
    public const string Key = "tls.key";

    /// <summary>Makes a new CA and a node certificate it signs, valid for <paramref name="lifetime"/>, and writes them to <paramref name="directory"/>.</summary>
    /// <returns>The files written.</returns>
    public static IReadOnlyList<string> Create(string directory, string name, TimeSpan lifetime, IEnumerable<string>? dnsNames = null)
    {
        using var authority = CertificateAuthority.Create($"{name} CA", lifetime);
        using var node = authority.Issue(name, lifetime, dnsNames);
        return Write(directory, authority.Certificate, node);
    }

    /// <summary>Writes <paramref name="authority"/> (with its key) and <paramref name="node"/> (with its key) in this layout; keys are readable by the owner only.</summary>
    public static IReadOnlyList<string> Write(string directory, X509Certificate2 authority, X509Certificate2 node)
    {
        ArgumentNullException.ThrowIfNull(authority);
        ArgumentNullException.ThrowIfNull(node);
        Directory.CreateDirectory(directory);
        var written = new List<string>
        {
            WriteFile(directory, Authority, authority.ExportCertificatePem(), secret: false),
            WriteFile(directory, Certificate, node.ExportCertificatePem(), secret: false),
            WriteFile(directory, Key, PrivateKeyPem(node), secret: true),
        };
        if (authority.HasPrivateKey)
        {
            written.Add(WriteFile(directory, AuthorityKey, PrivateKeyPem(authority), secret: true));
        }

        return written;
    }

    /// <summary>The node certificates the files in <paramref name="directory"/> make.</summary>
    public static NodeCertificates Read(string directory) =>
        NodeCertificates.FromPem(Path.Combine(directory, Certificate), Path.Combine(directory, Key), Path.Combine(directory, Authority));

    private static string PrivateKeyPem(X509Certificate2 certificate) =>
        (certificate.GetECDsaPrivateKey() ?? throw new CertificateProblemException($"'{certificate.Subject}' has no ECDSA private key")).ExportPkcs8PrivateKeyPem();

    private static string WriteFile(string directory, string name, string pem, bool secret)
    {
        var path = Path.Combine(directory, name);
        if (secret && !OperatingSystem.IsWindows())
        {
            // Created owner-only before the key is in it, so the key is never readable by others, not even briefly
            // (an existing file would keep its mode: it goes first).
            File.Delete(path);
            using var stream = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.Create,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
            using var writer = new StreamWriter(stream);
            writer.Write(pem + "\n");
        }
        else
        {
            File.WriteAllText(path, pem + "\n");
        }

        return path;
    }
}
