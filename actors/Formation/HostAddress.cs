using System.Net;
using System.Net.Sockets;

namespace DistGrad.Distributed.Formation;

/// <summary>Hostnames as the listeners bind them: an IP address as it is, or the first IPv4 (else any) address it resolves to.</summary>
public static class HostAddress
{
    /// <summary>Resolves <paramref name="hostname"/>; <paramref name="option"/> names where it came from in the error.</summary>
    public static IPAddress Resolve(string hostname, string option)
    {
        ArgumentNullException.ThrowIfNull(hostname);
        if (IPAddress.TryParse(hostname, out var address))
        {
            return address;
        }

        IPAddress[] addresses;
        try
        {
            addresses = Dns.GetHostAddresses(hostname);
        }
        catch (SocketException e)
        {
            throw new ArgumentException($"{option} '{hostname}' does not resolve: {e.Message}", e);
        }

        return addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
            ?? addresses.FirstOrDefault()
            ?? throw new ArgumentException($"{option} '{hostname}' does not resolve to an address");
    }

    /// <summary>A HOCON string literal.</summary>
    internal static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
