using System.Text.RegularExpressions;
using DistGrad.Distributed.Tests.Processes;

namespace DistGrad.Distributed.Tests.Kubernetes;

/// <summary>
/// The Secrets an operator creates before <c>kubectl apply -k</c>, read from the README's "Run on Kubernetes"
/// commands (<c>kubectl -n distgrad create secret generic NAME --from-file=KEY=…</c>): a pod may require a Secret
/// the manifests do not create only when the README tells the user to create it, with the keys the pod reads.
/// </summary>
internal static partial class OperatorSecrets
{
    /// <summary>Each Secret the README creates, with the keys (file names in a Secret volume) it is given.</summary>
    public static IReadOnlyDictionary<string, IReadOnlySet<string>> FromReadme()
    {
        var readme = File.ReadAllText(Path.Combine(ChildProcess.RepositoryRoot, "README.md")).Replace("\\\n", " ", StringComparison.Ordinal);
        var secrets = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        foreach (Match command in CreateSecret().Matches(readme))
        {
            var keys = FromFile().Matches(command.Groups["rest"].Value).Select(m => m.Groups["key"].Value).ToHashSet(StringComparer.Ordinal);
            secrets[command.Groups["name"].Value] = keys;
        }

        return secrets;
    }

    [GeneratedRegex(@"kubectl -n distgrad create secret generic (?<name>[a-z0-9-]+)(?<rest>[^\n]*)")]
    private static partial Regex CreateSecret();

    [GeneratedRegex(@"--from-file=(?<key>[^=\s]+)=")]
    private static partial Regex FromFile();
}
