namespace DistGrad.Distributed.Tests.Kubernetes;

/// <summary>
/// A Dockerfile's <c>RUN dotnet publish …</c> line as dotnet's arguments, with its output folder (-o), so a
/// test can run the very same publish outside Docker into a folder of its own.
/// </summary>
internal sealed record PublishStep(IReadOnlyList<string> Arguments, string OutputDirectory)
{
    private static readonly string[] OutputOptions = ["-o", "--output"];

    /// <summary>The build stage's one publish line (a failed test when there is none, several, or no -o).</summary>
    public static PublishStep Of(Dockerfile dockerfile)
    {
        var publish = Assert.Single(dockerfile.Stages.SelectMany(s => s.All("RUN")), r => r.StartsWith("dotnet publish ", StringComparison.Ordinal));
        Assert.False(publish.Contains("&&", StringComparison.Ordinal) || publish.Contains(';', StringComparison.Ordinal), $"{dockerfile.Path}: the publish RUN line does more than publish: {publish}");
        var words = publish.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        var output = words.FindIndex(w => OutputOptions.Contains(w));
        Assert.True(output >= 0 && output + 1 < words.Count, $"{dockerfile.Path}: the publish line gives no -o folder: {publish}");
        return new PublishStep(words, words[output + 1]);
    }

    /// <summary>The same arguments, publishing into <paramref name="directory"/> instead.</summary>
    public IReadOnlyList<string> Into(string directory) =>
        Arguments.Select((word, i) => i > 0 && OutputOptions.Contains(Arguments[i - 1]) ? directory : word).ToList();

    /// <summary>The value of option <paramref name="name"/> (null: not given).</summary>
    public string? Option(string name)
    {
        var i = Arguments.ToList().IndexOf(name);
        return i >= 0 && i + 1 < Arguments.Count ? Arguments[i + 1] : null;
    }

    /// <summary>The project published (the first argument that is not an option or an option's value).</summary>
    public string Project => Arguments.First(a => a.EndsWith(".csproj", StringComparison.Ordinal));
}
