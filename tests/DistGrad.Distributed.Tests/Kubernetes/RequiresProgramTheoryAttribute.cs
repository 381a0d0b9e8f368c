namespace DistGrad.Distributed.Tests.Kubernetes;

/// <summary>The theory form of <see cref="RequiresProgramFactAttribute"/>: every case is skipped without the program.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequiresProgramTheoryAttribute : TheoryAttribute
{
    public RequiresProgramTheoryAttribute(string program, string package) => Skip = ProgramsOnPath.SkipReasonWithout(program, package);
}
