using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using DistGrad.Distributed.Security;

namespace DistGrad.Distributed.DataPlane;

/// <summary>
/// Turns a fresh data-plane socket into the stream its handshake and frames travel on: TLS 1.3 with a
/// certificate demanded from both ends, or the bare socket when the job runs with --insecure.
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
        var ssl = new SslStream(network, leaveInnerStreamOpen: false);
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = SslStreamCertificateContext.Create(tls.Certificate, null, offline: true),
            ClientCertificateRequired = true,
            EnabledSslProtocols = SslProtocols.Tls13,
            CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = (_, certificate, _, errors) => tls.Accepts(certificate, errors, out problem),
        };
        return await AuthenticateAsync(ssl, () => ssl.AuthenticateAsServerAsync(options, cancellationToken), () => problem).ConfigureAwait(false);
    }

    public static async Task<Stream> ConnectAsync(Socket socket, NodeCertificates? tls, CancellationToken cancellationToken)
    {
        var network = new NetworkStream(socket, ownsSocket: false);
        if (tls is null)
        {
            return network;
        }

        string? problem = null;
        var ssl = new SslStream(network, leaveInnerStreamOpen: false);
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = ServerName,
            ClientCertificateContext = SslStreamCertificateContext.Create(tls.Certificate, null, offline: true),
            EnabledSslProtocols = SslProtocols.Tls13,
            CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = (_, certificate, _, errors) => tls.Accepts(certificate, errors, out problem),
        };
        return await AuthenticateAsync(ssl, () => ssl.AuthenticateAsClientAsync(options, cancellationToken), () => problem).ConfigureAwait(false);
    }

    private static async Task<Stream> AuthenticateAsync(SslStream ssl, Func<Task> authenticate, Func<string?> problem)
    {
        try
        {
            await authenticate().ConfigureAwait(false);
            return ssl;
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw new TransportHandshakeException(problem() is { } p ? $"TLS refused: {p}" : $"TLS handshake failed: {e.Message}");
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
