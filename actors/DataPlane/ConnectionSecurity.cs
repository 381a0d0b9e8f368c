using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using DistGrad.Distributed.Security;

namespace DistGrad.Distributed.DataPlane;

/// <summary>
/// Turns a fresh data-plane socket into the stream its handshake and frames travel on, or the bare socket when the
/// job runs with --insecure: a TLS 1.3 handshake with a certificate demanded from both ends, over which each end sends
/// a random key share; the two shares give the connection's AES-256-GCM keys (one per direction, HKDF-SHA256) and the
/// socket then carries <see cref="AeadStream"/> records. Only the two peers that authenticated each other know the
/// shares; the bulk skips SslStream, whose per-record cost made TLS a quarter of plain TCP's bandwidth.
/// </summary>
internal static class ConnectionSecurity
{
    // SNI carries no meaning here (peers are trusted by CA, not name, see NodeCertificates), but a client must send one.
    private const string ServerName = "distgrad-data-plane";

    public static async Task<Stream> AcceptAsync(Socket socket, NodeCertificates? tls, CancellationToken cancellationToken)
    {
        var network = new NetworkStream(socket, ownsSocket: false);
        if (tls is null)
        {
            return network;
        }

        string? problem = null;
        var ssl = new SslStream(new TlsRecordExactStream(network), leaveInnerStreamOpen: true);
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = SslStreamCertificateContext.Create(tls.Certificate, null, offline: true),
            ClientCertificateRequired = true,
            EnabledSslProtocols = SslProtocols.Tls13,
            CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = (_, certificate, _, errors) => tls.Accepts(certificate, errors, out problem),
        };
        return await AuthenticateAsync(ssl, network, client: false, () => ssl.AuthenticateAsServerAsync(options, cancellationToken), () => problem, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<Stream> ConnectAsync(Socket socket, NodeCertificates? tls, CancellationToken cancellationToken)
    {
        var network = new NetworkStream(socket, ownsSocket: false);
        if (tls is null)
        {
            return network;
        }

        string? problem = null;
        var ssl = new SslStream(new TlsRecordExactStream(network), leaveInnerStreamOpen: true);
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = ServerName,
            ClientCertificateContext = SslStreamCertificateContext.Create(tls.Certificate, null, offline: true),
            EnabledSslProtocols = SslProtocols.Tls13,
            CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = (_, certificate, _, errors) => tls.Accepts(certificate, errors, out problem),
        };
        return await AuthenticateAsync(ssl, network, client: true, () => ssl.AuthenticateAsClientAsync(options, cancellationToken), () => problem, cancellationToken).ConfigureAwait(false);
    }

    private const int KeyShareSize = 32;
    private const int KeySize = 32;
    private static readonly byte[] KeySalt = "DistGrad data plane v1"u8.ToArray();

    private static async Task<Stream> AuthenticateAsync(
        SslStream ssl, NetworkStream network, bool client, Func<Task> authenticate, Func<string?> problem, CancellationToken cancellationToken)
    {
        try
        {
            await authenticate().ConfigureAwait(false);
            var mine = RandomNumberGenerator.GetBytes(KeyShareSize);
            await ssl.WriteAsync(mine, cancellationToken).ConfigureAwait(false);
            await ssl.FlushAsync(cancellationToken).ConfigureAwait(false);
            var theirs = new byte[KeyShareSize];
            await ssl.ReadExactlyAsync(theirs, cancellationToken).ConfigureAwait(false);

            // SslStream read nothing past the share's record (TlsRecordExactStream): the next byte is the peer's first AEAD record.
            byte[] secret = client ? [.. mine, .. theirs] : [.. theirs, .. mine];
            var clientToServer = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, KeySize, KeySalt, "client to server"u8.ToArray());
            var serverToClient = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, KeySize, KeySalt, "server to client"u8.ToArray());
            CryptographicOperations.ZeroMemory(secret);
            await ssl.DisposeAsync().ConfigureAwait(false);
            return client ? new AeadStream(network, clientToServer, serverToClient) : new AeadStream(network, serverToClient, clientToServer);
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            await network.DisposeAsync().ConfigureAwait(false);
            throw new TransportHandshakeException(problem() is { } p ? $"TLS refused: {p}" : $"TLS handshake failed: {e.Message}");
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            await network.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
