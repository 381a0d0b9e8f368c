using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DistGrad.Distributed.Security;

/// <summary>
/// A node's TLS identity and whom it trusts: its own certificate with the private key, and the certificate
/// authorities whose certificates it accepts from peers. The same material secures Akka.Remote and the data plane.
/// </summary>
/// <remarks>
/// Peers are trusted by chain alone: a certificate counts when it chains to one of <see cref="Authorities"/>
/// (and to nothing else: the machine's own store is not consulted) and is within its validity period. Host names are
/// not compared, because nodes dial each other by pod IP or by addresses no certificate lists; a cluster's CA
/// that signs only its own nodes is what keeps strangers out. Revocation is not checked (no CRL or OCSP
/// endpoint is reachable inside a training cluster): rotate the CA to revoke.
/// </remarks>
public sealed class NodeCertificates
{
    private NodeCertificates(X509Certificate2 certificate, X509Certificate2Collection authorities, string source)
    {
        if (!certificate.HasPrivateKey)
        {
            throw new CertificateProblemException($"{source}: the certificate has no private key");
        }

        if (authorities.Count == 0)
        {
            throw new CertificateProblemException($"{source}: no certificate authority to trust");
        }

        Certificate = certificate;
        Authorities = authorities;
        Source = source;
        var ownProblem = Check(certificate);
        if (ownProblem is not null)
        {
            throw new CertificateProblemException($"{source}: this node's own certificate would be refused by its peers: {ownProblem}");
        }
    }

    /// <summary>This node's certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The CAs whose certificates this node accepts.</summary>
    public X509Certificate2Collection Authorities { get; }

    /// <summary>Where the material came from, for messages.</summary>
    public string Source { get; }

    /// <summary>A PEM certificate and key (as <c>openssl</c> or cert-manager write them) and a PEM file of the CAs to trust.</summary>
    public static NodeCertificates FromPem(string certificatePath, string keyPath, string authorityPath)
    {
        var source = $"--tls-cert {certificatePath} --tls-key {keyPath}";
        var certificate = Read(source, () =>
        {
            using var pem = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            // A PEM key is ephemeral on some platforms; a PKCS#12 round trip gives SslStream a key it can always use.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        });
        return new NodeCertificates(certificate, ReadAuthorities(authorityPath), source);
    }

    /// <summary>A PKCS#12 (.p12, .pfx) file holding the certificate and key, and a PEM file of the CAs to trust.</summary>
    public static NodeCertificates FromPkcs12(string path, string? password, string authorityPath)
    {
        var source = $"--tls-pkcs12 {path}";
        var certificate = Read(source, () => X509CertificateLoader.LoadPkcs12FromFile(path, password));
        return new NodeCertificates(certificate, ReadAuthorities(authorityPath), source);
    }

    /// <summary>Material made in memory (the embedded cluster, tests): a fresh CA and one node certificate it signed.</summary>
    public static NodeCertificates Ephemeral(string name = "distgrad-embedded")
    {
        using var authority = CertificateAuthority.Create($"{name} CA", TimeSpan.FromDays(2));
        return FromIssued(authority.Issue(name, TimeSpan.FromDays(1)), authority.Certificate, "an ephemeral certificate");
    }

    /// <summary>Material issued by <paramref name="authority"/> (tests and the <c>certs</c> command).</summary>
    public static NodeCertificates FromIssued(X509Certificate2 certificate, X509Certificate2 authority, string source)
    {
        ArgumentNullException.ThrowIfNull(authority);
        return new NodeCertificates(certificate, [X509CertificateLoader.LoadCertificate(authority.RawData)], source);
    }

    /// <summary>Null when <paramref name="peer"/> may join; otherwise why not, in words that go into the refusal's log line.</summary>
    public string? Check(X509Certificate? peer)
    {
        if (peer is null)
        {
            return "it presented no certificate";
        }

        using var certificate = X509CertificateLoader.LoadCertificate(peer.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(Authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain.Build(certificate))
        {
            return null;
        }

        var statuses = chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct();
        return $"its certificate '{certificate.Subject}' (issued by '{certificate.Issuer}') is not trusted: {string.Join("; ", statuses)}";
    }

    /// <summary>The TLS callback: a peer is accepted by <see cref="Check"/> alone (name mismatches are expected, see the remarks).</summary>
    public bool Accepts(X509Certificate? peer, SslPolicyErrors errors, out string? problem)
    {
        problem = (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0 ? "it presented no certificate" : Check(peer);
        return problem is null;
    }

    private static X509Certificate2Collection ReadAuthorities(string path)
    {
        var authorities = Read($"--tls-ca {path}", () =>
        {
            var collection = new X509Certificate2Collection();
            collection.ImportFromPemFile(path);
            return collection;
        });
        return authorities.Count > 0 ? authorities : throw new CertificateProblemException($"--tls-ca {path}: the file holds no PEM certificate");
    }

    private static T Read<T>(string source, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new CertificateProblemException($"{source}: {e.Message.Trim()}", e);
        }
    }
}
