using DistGrad.Distributed.Security;

namespace DistGrad.Distributed.Cli;

/// <summary>The TLS options of a cluster node, the same spellings on <c>train --cluster</c> and on <c>worker</c>.</summary>
internal static class TlsSettings
{
    public static CommandLineSetting<T>[] For<T>(Func<T, TlsFiles> get, Func<T, TlsFiles, T> set)
    {
        CommandLineSetting<T> Path(string name, string description, Func<TlsFiles, string, TlsFiles> apply) =>
            CommandLineSetting<T>.Value(name, "FILE", description, (o, v) => set(o, apply(get(o), v)));

        return
        [
            Path("--tls-cert", "this node's certificate (PEM), for Akka.Remote and the tensor transport", (t, v) => t with { Certificate = v }),
            Path("--tls-key", "the private key of --tls-cert (PEM)", (t, v) => t with { Key = v }),
            Path("--tls-pkcs12", $"certificate and key in one PKCS#12 file instead (password: ${TlsFiles.PasswordVariable})", (t, v) => t with { Pkcs12 = v }),
            Path("--tls-ca", "the CA certificate(s) (PEM) whose nodes this node accepts; others are refused and logged", (t, v) => t with { Authority = v }),
            CommandLineSetting<T>.Flag("--insecure", "run the cluster and tensor transport without TLS: anyone who reaches the ports can join", o => set(o, get(o) with { Insecure = true })),
        ];
    }

    /// <summary>The --print-config lines.</summary>
    public static IEnumerable<string> Lines(TlsFiles t, Func<string, string> q)
    {
        string Path(string? p) => p is null ? "null" : q(p);
        return [$"tls-cert = {Path(t.Certificate)}", $"tls-key = {Path(t.Key)}", $"tls-pkcs12 = {Path(t.Pkcs12)}", $"tls-ca = {Path(t.Authority)}", $"insecure = {(t.Insecure ? "true" : "false")}"];
    }

    /// <summary>The certificates for a cluster node, or null with a warning on <paramref name="error"/> for --insecure; bad files are a usage error.</summary>
    public static NodeCertificates? Load(TlsFiles files, string command, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            var certificates = files.Load(Environment.GetEnvironmentVariable);
            if (certificates is null)
            {
                error.WriteLine($"{command}: warning: --insecure: Akka.Remote and the tensor transport run without TLS; anyone who reaches this node's ports can join the cluster or feed it tensors");
            }

            return certificates;
        }
        catch (CertificateProblemException e)
        {
            throw new UsageException(e.Message);
        }
    }
}
