using System.CommandLine;
using System.Globalization;
using DistGrad.Distributed.Security;

namespace DistGrad.Distributed.Cli;

/// <summary>
/// <c>certs</c>: makes a cluster's TLS material (a new CA and one node certificate it signs) as the PEM files
/// <c>--tls-cert</c>, <c>--tls-key</c> and <c>--tls-ca</c> read and a Kubernetes Secret holds.
/// </summary>
public static class CertsCommand
{
    private static readonly Option<string> Out = new("--out") { Description = "the folder to write ca.crt, ca.key, tls.crt and tls.key to", Required = true };
    private static readonly Option<string> Name = new("--name") { Description = "the certificates' common name [distgrad]", DefaultValueFactory = _ => "distgrad" };
    private static readonly Option<int> Days = new("--days") { Description = "how long the certificates are valid [365]", DefaultValueFactory = _ => 365 };
    private static readonly Option<string> Dns = new("--dns") { Description = "more DNS names for the node certificate, comma-separated (for clients that check names)" };

    public static Command CreateCommand() =>
        new("certs", "Makes a new CA and a node certificate it signs (ECDSA P-256, PEM) for --tls-cert/--tls-key/--tls-ca; every node of one cluster may share them.")
        {
            Out, Name, Days, Dns,
        };

    /// <summary>Writes the files; returns the exit code (2 for a usage error).</summary>
    public static int Run(ParseResult result, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(output);
        var directory = result.GetValue(Out)!;
        var days = result.GetValue(Days);
        if (days < 1)
        {
            throw new UsageException($"--days {days}: certificates must be valid for at least a day");
        }

        var dns = (result.GetValue(Dns) ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var existing = new[] { CertificateFiles.Authority, CertificateFiles.AuthorityKey, CertificateFiles.Certificate, CertificateFiles.Key }
            .Select(f => Path.Combine(directory, f)).Where(File.Exists).ToList();
        if (existing.Count > 0)
        {
            throw new UsageException($"--out {directory} already holds {string.Join(", ", existing.Select(Path.GetFileName))}: remove them or choose another folder (a new CA would lock out every node of the old one)");
        }

        foreach (var file in CertificateFiles.Create(directory, result.GetValue(Name)!, TimeSpan.FromDays(days), dns))
        {
            output.WriteLine($"wrote {file}");
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"valid for {days} days; give every node --tls-cert {Path.Combine(directory, CertificateFiles.Certificate)} --tls-key {Path.Combine(directory, CertificateFiles.Key)} --tls-ca {Path.Combine(directory, CertificateFiles.Authority)}; keep ca.key off the nodes"));
        return 0;
    }
}
