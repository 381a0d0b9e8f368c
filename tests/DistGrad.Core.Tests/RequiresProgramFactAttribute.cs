namespace DistGrad.Tests;

/// <summary>
/// A test that needs an outside program on PATH (Graphviz's <c>dot</c>, …): skipped, with the reason and how to
/// install it, on a machine without it. .ci/run installs every such program, so CI runs these tests.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequiresProgramFactAttribute : FactAttribute
{
    public RequiresProgramFactAttribute(string program, string package)
    {
        if (!OnPath(program))
        {
            Skip = $"needs '{program}', which is not on PATH (apt-get install -y {package}; .ci/run installs it)";
        }
    }

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, program)));
}
