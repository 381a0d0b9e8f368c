using DistGrad.Distributed.Security;

namespace DistGrad.Distributed.DataPlane;

/// <summary>How a job's TCP data plane guards itself: the largest message it accepts, who may connect, and where refusals are told.</summary>
public sealed record TcpTransportOptions
{
    /// <summary>Used when a caller gives no options: no TLS, a cap no message of a benchmark or test reaches.</summary>
    public static TcpTransportOptions Plain { get; } = new();

    /// <summary>
    /// The largest message (not frame) a peer may announce, in bytes. A header above it drops the connection
    /// before any buffer is rented, so a broken or hostile peer cannot make this rank allocate gigabytes.
    /// </summary>
    public int MaxMessageBytes { get; init; } = 1 << 30;

    /// <summary>Mutual TLS with these certificates on every connection; null: plain TCP (an explicit --insecure).</summary>
    public NodeCertificates? Tls { get; init; }

    /// <summary>
    /// Told one line per refused connection (a stranger, garbage, a failed TLS handshake), naming the peer's
    /// address; the mesh goes on waiting for the ranks it expects. Null: refusals are only counted into the
    /// setup timeout's message.
    /// </summary>
    public Action<string>? LogRefusal { get; init; }
}
