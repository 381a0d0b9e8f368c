namespace DistGrad.Distributed.Tests.Kubernetes;

/// <summary>
/// A test that needs an outside program on PATH (kubectl, …): skipped, with the reason and how to install it,
/// on a machine without it. .ci/run installs every such program, so CI runs these tests.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequiresProgramFactAttribute : FactAttribute
{
    public RequiresProgramFactAttribute(string program, string package) => Skip = ProgramsOnPath.SkipReasonWithout(program, package);
}
