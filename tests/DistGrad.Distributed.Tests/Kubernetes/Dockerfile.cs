using System.Text.Json;

namespace DistGrad.Distributed.Tests.Kubernetes;

/// <summary>
/// A Dockerfile read as its stages and instructions (comments dropped, continuation lines joined), enough to
/// check what the image runs and to repeat its publish step outside Docker.
/// </summary>
internal sealed class Dockerfile
{
    private Dockerfile(string path, IReadOnlyList<DockerStage> stages)
    {
        Path = path;
        Stages = stages;
    }

    public string Path { get; }

    public IReadOnlyList<DockerStage> Stages { get; }

    /// <summary>The stage the image is: the last one.</summary>
    public DockerStage Final => Stages[^1];

    public static Dockerfile Load(string path)
    {
        var stages = new List<DockerStage>();
        foreach (var (keyword, arguments) in Instructions(File.ReadAllLines(path)))
        {
            if (keyword == "FROM")
            {
                var words = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => !w.StartsWith("--", StringComparison.Ordinal)).ToArray();
                stages.Add(new DockerStage(words[0], words is [_, var asWord, var name] && asWord.Equals("AS", StringComparison.OrdinalIgnoreCase) ? name : null));
            }
            else
            {
                Assert.True(stages.Count > 0, $"{path}: {keyword} before the first FROM");
                stages[^1].Instructions.Add(new DockerInstruction(keyword, arguments));
            }
        }

        Assert.True(stages.Count > 0, $"{path} has no FROM");
        return new Dockerfile(path, stages);
    }

    /// <summary>The stage named <paramref name="name"/> (FROM … AS name).</summary>
    public DockerStage Stage(string name) => Assert.Single(Stages, s => s.Name == name);

    /// <summary>(KEYWORD, arguments) for each instruction: comments and blank lines dropped, backslash continuations joined.</summary>
    private static IEnumerable<(string Keyword, string Arguments)> Instructions(IEnumerable<string> lines)
    {
        var pending = string.Empty;
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                pending += line[..^1].TrimEnd() + " ";
                continue;
            }

            var whole = pending + line;
            pending = string.Empty;
            var space = whole.IndexOf(' ', StringComparison.Ordinal);
            yield return space < 0 ? (whole.ToUpperInvariant(), string.Empty) : (whole[..space].ToUpperInvariant(), whole[(space + 1)..].Trim());
        }
    }
}

/// <summary>One FROM and the instructions after it.</summary>
internal sealed record DockerStage(string BaseImage, string? Name)
{
    public List<DockerInstruction> Instructions { get; } = [];

    /// <summary>The arguments of the last <paramref name="keyword"/> instruction (null: none), which is the one that counts.</summary>
    public string? Last(string keyword) => Instructions.LastOrDefault(i => i.Keyword == keyword)?.Arguments;

    public IEnumerable<string> All(string keyword) => Instructions.Where(i => i.Keyword == keyword).Select(i => i.Arguments);

    /// <summary>The ENTRYPOINT in exec form (a JSON array), or a failed test.</summary>
    public string[] ExecEntryPoint()
    {
        var entry = Last("ENTRYPOINT");
        Assert.True(entry?.StartsWith('[') == true, $"the final stage's ENTRYPOINT is not in exec form: {entry}");
        return JsonSerializer.Deserialize<string[]>(entry!)!;
    }

    /// <summary>The ports EXPOSE names (ranges expanded, /tcp dropped).</summary>
    public IReadOnlySet<int> ExposedPorts() =>
        All("EXPOSE")
            .SelectMany(a => a.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(p => p.Split('/')[0])
            .SelectMany(p => p.Split('-') is [var first, var last]
                ? Enumerable.Range(int.Parse(first, System.Globalization.CultureInfo.InvariantCulture), int.Parse(last, System.Globalization.CultureInfo.InvariantCulture) - int.Parse(first, System.Globalization.CultureInfo.InvariantCulture) + 1)
                : [int.Parse(p, System.Globalization.CultureInfo.InvariantCulture)])
            .ToHashSet();
}

internal sealed record DockerInstruction(string Keyword, string Arguments);
