namespace DistGrad.Distributed.Security;

/// <summary>
/// Where a node's TLS material lies, as its command line or environment named it (<c>--tls-cert</c>, …), or that it
/// runs without TLS (<c>--insecure</c>, an explicit choice). Loaded into <see cref="NodeCertificates"/> at start.
/// </summary>
public sealed record TlsFiles
{
    /// <summary>The environment variable a PKCS#12 file's password is read from (never a command-line option: those show in ps).</summary>
    public const string PasswordVariable = "DISTGRAD_TLS_PASSWORD";

    /// <summary>PEM certificate of this node (with --tls-key).</summary>
    public string? Certificate { get; init; }

    /// <summary>PEM private key of <see cref="Certificate"/>.</summary>
    public string? Key { get; init; }

    /// <summary>PKCS#12 file with certificate and key (instead of --tls-cert and --tls-key).</summary>
    public string? Pkcs12 { get; init; }

    /// <summary>PEM file of the CA(s) whose certificates this node accepts.</summary>
    public string? Authority { get; init; }

    /// <summary>Plain TCP for Akka.Remote and the data plane: an explicit opt-out.</summary>
    public bool Insecure { get; init; }

    /// <summary>Whether any material was named.</summary>
    public bool Given => Certificate != null || Key != null || Pkcs12 != null || Authority != null;

    /// <summary>Null when the files form a whole (or --insecure alone was given); otherwise what is missing or contradictory.</summary>
    public string? Problem()
    {
        if (Insecure)
        {
            return Given ? "--insecure turns TLS off, so it cannot be given with --tls-cert, --tls-key, --tls-pkcs12 or --tls-ca" : null;
        }

        if (Pkcs12 != null && (Certificate != null || Key != null))
        {
            return "give --tls-pkcs12 or --tls-cert with --tls-key, not both";
        }

        if (Pkcs12 == null && (Certificate == null) != (Key == null))
        {
            return Certificate == null ? "--tls-key needs --tls-cert (the certificate of that key)" : "--tls-cert needs --tls-key (the certificate's private key)";
        }

        if (Pkcs12 == null && Certificate == null)
        {
            return "a cluster node runs mutual TLS: give --tls-cert and --tls-key (or --tls-pkcs12) and --tls-ca (docs/SECURITY.md makes them), or --insecure to run without TLS";
        }

        return Authority == null ? "--tls-ca is missing: the CA whose certificates this node accepts from its peers" : null;
    }

    /// <summary>The certificates, or null for --insecure; a file that cannot be used throws <see cref="CertificateProblemException"/>.</summary>
    public NodeCertificates? Load(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (Problem() is { } problem)
        {
            throw new CertificateProblemException(problem);
        }

        if (Insecure)
        {
            return null;
        }

        return Pkcs12 != null
            ? NodeCertificates.FromPkcs12(Pkcs12, environment(PasswordVariable), Authority!)
            : NodeCertificates.FromPem(Certificate!, Key!, Authority!);
    }
}
