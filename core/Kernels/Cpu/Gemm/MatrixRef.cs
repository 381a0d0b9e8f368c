namespace DistGrad.Kernels.Cpu.Gemm;

/// <summary>
/// A strided matrix in pinned memory: element (i, j) lives at Data[i·RowStride + j·ColStride]. Strides
/// carry transposes and views into the GEMM, so the packing routines read them in place instead of the
/// caller making a contiguous copy first.
/// </summary>
internal readonly unsafe struct MatrixRef<T>(T* data, nint rowStride, nint colStride)
    where T : unmanaged
{
    public T* Data { get; } = data;

    public nint RowStride { get; } = rowStride;

    public nint ColStride { get; } = colStride;

    public T* At(int i, int j) => Data + (i * RowStride) + (j * ColStride);

    /// <summary>The same strides starting at (i, j).</summary>
    public MatrixRef<T> From(int i, int j) => new(At(i, j), RowStride, ColStride);

    /// <summary>The transpose, as a view: rows and columns swap strides.</summary>
    public MatrixRef<T> Transposed => new(Data, ColStride, RowStride);
}
