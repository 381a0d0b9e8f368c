namespace DistGrad.Kernels.Cpu;

/// <summary>Storage in a managed array: float[], double[], long[] or bool[].</summary>
internal sealed class CpuStorage : Storage
{
    public CpuStorage(Array data)
        : base(DTypes.FromClr(data.GetType().GetElementType()!), data.Length)
    {
        Data = data;
    }

    public Array Data { get; }

    public override Device Device => Device.Cpu;

    public static T[] Of<T>(Tensor t) => (T[])((CpuStorage)t.Storage).Data;
}
