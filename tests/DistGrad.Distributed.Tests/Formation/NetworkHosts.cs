using System.Diagnostics;
using System.Globalization;

namespace DistGrad.Distributed.Tests.Formation;

/// <summary>
/// Separate network hosts for one test: a namespace per host, each with its own address on 10.231.0.0/24, joined
/// by a bridge that lives in a namespace of its own, so nothing is added to the machine's own network and no
/// packet leaves these namespaces. Everything is removed on dispose, and a failed set-up removes what it made.
/// </summary>
internal sealed class NetworkHosts : IDisposable
{
    private const string Prefix = "dgt";
    private readonly string _id;
    private readonly List<string> _namespaces = [];

    public NetworkHosts(int hosts)
    {
        _id = (Environment.ProcessId % 100000).ToString(CultureInfo.InvariantCulture) + "x" + Interlocked.Increment(ref s_count).ToString(CultureInfo.InvariantCulture);
        try
        {
            var bridge = _bridge = Add("sw");
            Ip("-n", bridge, "link", "add", "br0", "type", "bridge");
            Ip("-n", bridge, "link", "set", "br0", "up");
            for (int i = 0; i < hosts; i++)
            {
                var host = Add("h" + i.ToString(CultureInfo.InvariantCulture));
                var port = "p" + i.ToString(CultureInfo.InvariantCulture);
                Ip("link", "add", "eth0", "netns", host, "type", "veth", "peer", "name", port, "netns", bridge);
                Ip("-n", bridge, "link", "set", port, "master", "br0");
                Ip("-n", bridge, "link", "set", port, "up");
                Ip("-n", host, "addr", "add", Address(i) + "/24", "dev", "eth0");
                Ip("-n", host, "link", "set", "eth0", "up");
                Ip("-n", host, "link", "set", "lo", "up");
                Hosts.Add(host);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    private static int s_count;

    private readonly string _bridge = string.Empty;

    /// <summary>The hosts' namespace names, by index.</summary>
    public List<string> Hosts { get; } = [];

    /// <summary>Host <paramref name="index"/>'s address.</summary>
    public static string Address(int index) => $"10.231.0.{index + 1}";

    /// <summary>An address on the hosts' network that no host has.</summary>
    public static string Nobody => "10.231.0.250";

    /// <summary>The launcher that runs a program on host <paramref name="index"/>.</summary>
    public string[] On(int index) => ["ip", "netns", "exec", Hosts[index]];

    /// <summary>
    /// Cuts host <paramref name="index"/> off the network: its port on the bridge goes down, so its packets are lost
    /// both ways (no reset, no refusal: what a failed switch or cable looks like), until <see cref="Heal"/>.
    /// </summary>
    public void Cut(int index) => Ip("-n", _bridge, "link", "set", "p" + index.ToString(CultureInfo.InvariantCulture), "down");

    /// <summary>Connects host <paramref name="index"/> again after <see cref="Cut"/>.</summary>
    public void Heal(int index) => Ip("-n", _bridge, "link", "set", "p" + index.ToString(CultureInfo.InvariantCulture), "up");

    public void Dispose()
    {
        foreach (var name in Enumerable.Reverse(_namespaces))
        {
            // Deleting a namespace deletes its end of every veth pair, and with it the other end.
            Run("ip", ["netns", "del", name], throwOnFailure: false);
        }

        _namespaces.Clear();
    }

    private string Add(string role)
    {
        var name = $"{Prefix}{_id}{role}";
        Ip("netns", "add", name);
        _namespaces.Add(name);
        return name;
    }

    private static void Ip(params string[] args) => Run("ip", args, throwOnFailure: true);

    private static void Run(string program, string[] args, bool throwOnFailure)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0 && throwOnFailure)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({process.ExitCode}): {error.Trim()}");
        }
    }
}
