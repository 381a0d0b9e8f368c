namespace DistGrad.Distributed.Security;

/// <summary>TLS material that cannot be used: a missing file, a wrong password, a key that does not match, an untrusted own certificate.</summary>
public sealed class CertificateProblemException : Exception
{
    public CertificateProblemException(string message)
        : base(message)
    {
    }

    public CertificateProblemException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CertificateProblemException()
    {
    }
}
