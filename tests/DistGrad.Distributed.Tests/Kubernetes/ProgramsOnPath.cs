namespace DistGrad.Distributed.Tests.Kubernetes;

/// <summary>Whether an outside program (kubectl, …) can be started by name.</summary>
internal static class ProgramsOnPath
{
    public static bool Has(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, program)));

    /// <summary>The skip reason for a test that needs <paramref name="program"/>, or null when it is there.</summary>
    public static string? SkipReasonWithout(string program, string package) =>
        Has(program) ? null : $"needs '{program}', which is not on PATH (apt-get install -y {package}; .ci/run installs it)";
}
