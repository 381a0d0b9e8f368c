namespace DistGrad.Kernels.Cpu;

/// <summary>
/// The CPU backend: SIMD loops through <see cref="System.Numerics.Tensors.TensorPrimitives"/> over rows of
/// strided operands. Parts live in CpuKernels.*.cs by kind of kernel.
/// </summary>
internal sealed partial class CpuKernels : IKernels
{
    public static readonly CpuKernels Instance = new();

    private CpuKernels()
    {
    }

    public Device Device => Device.Cpu;

    public Storage Allocate(DType dtype, int length) => new CpuStorage(dtype switch
    {
        DType.Float32 => new float[length],
        DType.Float64 => new double[length],
        DType.Int64 => new long[length],
        DType.Bool => new bool[length],
        _ => throw new ArgumentOutOfRangeException(nameof(dtype)),
    });

    public Storage FromHost(Array data) => new CpuStorage((Array)data.Clone());

    private static Tensor NewTensor(DType dtype, int[] shape) => new(Instance.Allocate(dtype, Shapes.Numel(shape)), shape);

    /// <summary>
    /// A contiguous result that the kernel overwrites in full, so it skips the zeroing: for a 1M-float add
    /// that is a third of the memory traffic.
    /// </summary>
    private static Tensor NewTensorForOverwrite<T>(DType dtype, int[] shape) =>
        new(new CpuStorage(GC.AllocateUninitializedArray<T>(Shapes.Numel(shape))), shape);

    private static RowCursor Cursor(Tensor a) => new(a.ShapeRef, [a.StridesRef], [a.Offset]);

    private static RowCursor Cursor(Tensor a, Tensor b) => new(a.ShapeRef, [a.StridesRef, b.StridesRef], [a.Offset, b.Offset]);

    private static RowCursor Cursor(Tensor a, Tensor b, Tensor c) =>
        new(a.ShapeRef, [a.StridesRef, b.StridesRef, c.StridesRef], [a.Offset, b.Offset, c.Offset]);

    /// <summary>A contiguous tensor with the same values (the tensor itself when it already is).</summary>
    private static Tensor Dense(Tensor t)
    {
        if (t.IsContiguous)
        {
            return t;
        }

        var copy = NewTensor(t.DType, t.Shape);
        Instance.Copy(t, copy);
        return copy;
    }

    /// <summary>The dense span of a contiguous tensor.</summary>
    private static Span<T> Span<T>(Tensor contiguous) => CpuStorage.Of<T>(contiguous).AsSpan(contiguous.Offset, contiguous.Numel);
}
