namespace DistGrad.Tests;

/// <summary>
/// Tests that draw from or check <see cref="Generator.Default"/> run alone: the default generator is
/// process-wide (as PyTorch's), so a test running beside them could move its stream.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DefaultGeneratorCollection
{
    public const string Name = "Default generator";
}
