using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Event;
using Akka.Remote.Transport.DotNetty;

namespace DistGrad.Distributed.Security;

/// <summary>
/// Mutual TLS for a node's Akka.Remote (DotNetty) and the certificates its workers' data plane uses: what a
/// node's ActorSystem is created with when it runs secured.
/// </summary>
/// <remarks>
/// Akka's own chain check trusts the operating system's store, which knows nothing of a cluster's private CA,
/// so the validation is DistGrad's (<see cref="NodeCertificates.Check"/>): a peer without a certificate, or with
/// one from another CA, is refused in the handshake, logged with its address, and never becomes a member.
/// </remarks>
public sealed class NodeTls : Setup
{
    private NodeTls(NodeCertificates certificates) => Certificates = certificates;

    /// <summary>Akka's address scheme on a secured node (a plain one speaks akka.tcp).</summary>
    public const string Protocol = "akka.ssl.tcp";

    public NodeCertificates Certificates { get; }

    /// <summary>The HOCON that turns TLS on (the certificate itself comes from the setup, never from a file path in HOCON).</summary>
    public static Akka.Configuration.Config Hocon { get; } = Akka.Configuration.ConfigurationFactory.ParseString("""
        akka.remote.dot-netty.tcp.enable-ssl = true
        akka.remote.dot-netty.tcp.ssl.require-mutual-authentication = true
        akka.remote.dot-netty.tcp.ssl.suppress-validation = false
        """);

    /// <summary>
    /// <paramref name="setup"/> with what a secured node needs (null <paramref name="certificates"/>: plain, unchanged).
    /// </summary>
    public static ActorSystemSetup Apply(ActorSystemSetup setup, NodeCertificates? certificates)
    {
        ArgumentNullException.ThrowIfNull(setup);
        return Setups(certificates).Aggregate(setup, (all, one) => all.And(one));
    }

    /// <summary>The setups of a secured node (none for a plain one): DotNetty's TLS, and the certificates for the data plane.</summary>
    public static IReadOnlyList<Setup> Setups(NodeCertificates? certificates)
    {
        if (certificates is null)
        {
            return [];
        }

        var remote = new DotNettySslSetup(certificates.Certificate, suppressValidation: false, requireMutualAuthentication: true, customValidator: Validator(certificates));
        return [remote, new NodeTls(certificates)];
    }

    /// <summary>The certificates <paramref name="system"/> was created with; null when it runs plain.</summary>
    public static NodeCertificates? Of(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        var setup = system.Settings.Setup.Get<NodeTls>();
        return setup.HasValue ? setup.Value.Certificates : null;
    }

    private static CertificateValidationCallback Validator(NodeCertificates certificates) =>
        (certificate, _, remotePeer, errors, log) =>
        {
            if (certificates.Accepts(certificate, errors, out var problem))
            {
                return true;
            }

            log.Warning("refused a TLS connection with {0}: {1}", remotePeer, problem);
            return false;
        };
}
