namespace DistGrad.Tests.Kernels.Ilgpu;

/// <summary>
/// The ILGPU tests share the one emulator accelerator the kernel registry makes, and run one class at a time: the
/// emulator runs each group on OS threads, and two test classes at once would only fight over the two cores.
/// </summary>
[CollectionDefinition(Name)]
public sealed class IlgpuCollection
{
    public const string Name = "ILGPU emulator";
}
