using System.Reflection;
using DistGrad.Kernels.Ilgpu;
using ILGPU;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace DistGrad.Tests.Kernels.Ilgpu;

/// <summary>
/// The emulator runs kernels as .NET code, which accepts more than ILGPU's CUDA compiler does. Compiling the GPU
/// variant of every kernel to PTX (for sm_90, no GPU needed) catches what only a GPU run would otherwise show.
/// </summary>
[Collection(IlgpuCollection.Name)]
public class PtxCompileTests
{
    public static TheoryData<string> KernelNames() => [.. Kernels().Select(k => k.Name)];

    [Theory]
    [MemberData(nameof(KernelNames))]
    public void Every_kernel_compiles_for_cuda(string name)
    {
        var (_, method, grouped) = Kernels().Single(k => k.Name == name);
        var backend = new PTXBackend(IlgpuRuntime.Context, CudaArchitecture.SM_90, CudaInstructionSet.ISA_80, null!);
        var entry = grouped ? EntryPointDescription.FromExplicitlyGroupedKernel(method) : EntryPointDescription.FromImplicitlyGroupedKernel(method);
        var compiled = (PTXCompiledKernel)backend.Compile(entry, new KernelSpecialization());
        Assert.Contains(".entry", compiled.PTXAssembly, StringComparison.Ordinal);
    }

    private static IEnumerable<(string Name, MethodInfo Method, bool Grouped)> Kernels()
    {
        (string, MethodInfo, bool) K(Type owner, string name, bool grouped, params Type[] args)
        {
            var method = owner.GetMethod(name, BindingFlags.Public | BindingFlags.Static)!;
            method = args.Length == 0 ? method : method.MakeGenericMethod(args);
            return ($"{owner.Name}.{name}<{string.Join(",", args.Select(a => a.Name))}>", method, grouped);
        }

        var e = typeof(ElementKernels);
        yield return K(e, "Map", false, typeof(float), typeof(float), typeof(FloatUnary<float, F32>));
        yield return K(e, "Map", false, typeof(double), typeof(double), typeof(FloatUnary<double, F64>));
        yield return K(e, "Map", false, typeof(long), typeof(long), typeof(LongUnary));
        yield return K(e, "Map", false, typeof(float), typeof(byte), typeof(IsNaNOf<float, F32>));
        yield return K(e, "Map", false, typeof(long), typeof(float), typeof(Convert<long, float, I64, F32>));
        yield return K(e, "Map", false, typeof(byte), typeof(byte), typeof(LogicalNot));
        yield return K(e, "Zip", false, typeof(float), typeof(float), typeof(float), typeof(Arithmetic<float, F32>));
        yield return K(e, "Zip", false, typeof(long), typeof(long), typeof(long), typeof(Arithmetic<long, I64>));
        yield return K(e, "Zip", false, typeof(double), typeof(double), typeof(byte), typeof(Comparison<double, F64>));
        yield return K(e, "Fill", false, typeof(float));
        yield return K(e, "MaskedFill", false, typeof(float));
        var r = typeof(ReduceKernels);
        yield return K(r, "PerThread", false, typeof(float), typeof(Reduction<float, F32>));
        yield return K(r, "PerGroup", true, typeof(float), typeof(Reduction<float, F32>), typeof(GpuTiles));
        yield return K(r, "PerGroup", true, typeof(byte), typeof(Reduction<byte, U8>), typeof(GpuTiles));
        yield return K(typeof(GemmKernel), "Tiled", true, typeof(float), typeof(F32), typeof(GpuTiles));
        yield return K(typeof(GemmKernel), "Tiled", true, typeof(double), typeof(F64), typeof(GpuTiles));
        yield return K(typeof(RowKernels), "Softmax", false, typeof(float), typeof(F32));
        var i = typeof(IndexKernels);
        yield return K(i, "Select", false, typeof(float));
        yield return K(i, "Add", false, typeof(double), typeof(F64));
        yield return K(i, "Gather", false, typeof(float));
        yield return K(i, "ScatterAdd", false, typeof(float), typeof(F32));
        yield return K(i, "Flags", false);
        yield return K(i, "Compact", false, typeof(float));
        yield return K(i, "Spread", false, typeof(float));
        var m = typeof(ImageKernels);
        yield return K(m, "Im2Col", false, typeof(float));
        yield return K(m, "Col2Im", false, typeof(float), typeof(F32));
        yield return K(m, "AddBias", false, typeof(float), typeof(F32));
        yield return K(m, "MaxPool", false, typeof(float), typeof(F32));
        yield return K(typeof(SpecialKernels), "Map", false, typeof(double), typeof(F64));
        yield return K(typeof(SpecialKernels), "GeluBackward", false, typeof(float), typeof(F32));
    }
}
