namespace DistGrad.Kernels.Ilgpu;

/// <summary>
/// Indexing by int64 index tensors, all on the device: index values are checked by the kernels (see
/// <see cref="ThrowIfKernelFailed"/>), and additions into repeated indices are atomic, so their order, and with
/// it the last bits of a float sum, may differ from the CPU backend's.
/// </summary>
internal sealed partial class IlgpuKernels
{
    public Tensor IndexSelect(Tensor source, int dim, Tensor index)
    {
        RequireIndex(index);
        var shape = source.ShapeRef;
        var (outer, inner) = OuterInner(shape, dim);
        var (size, k) = (shape[dim], index.Numel);
        var outShape = source.Shape;
        outShape[dim] = k;
        var result = NewTensor(source.DType, outShape);
        var (ls, li, idx) = (Layout(source), Layout(index), View<long>(index));
        ByDType(
            source.DType,
            () => _launch.Launch(result.Numel, IndexKernels.Select, View<float>(source), ls, idx, li, View<float>(result), k, size, inner, ErrorFlag),
            () => _launch.Launch(result.Numel, IndexKernels.Select, View<double>(source), ls, idx, li, View<double>(result), k, size, inner, ErrorFlag),
            () => _launch.Launch(result.Numel, IndexKernels.Select, View<long>(source), ls, idx, li, View<long>(result), k, size, inner, ErrorFlag),
            () => _launch.Launch(result.Numel, IndexKernels.Select, View<byte>(source), ls, idx, li, View<byte>(result), k, size, inner, ErrorFlag),
            "index_select");
        _ = outer;
        return result;
    }

    public void IndexAdd(Tensor destination, int dim, Tensor index, Tensor source)
    {
        RequireIndex(index);
        RequireContiguous(destination, "index_add");
        var shape = destination.ShapeRef;
        var (_, inner) = OuterInner(shape, dim);
        var (size, k, offset) = (shape[dim], index.Numel, destination.Offset);
        var (li, idx, ls) = (Layout(index), View<long>(index), Layout(source));
        ByDType(
            destination.DType,
            () => _launch.Launch(source.Numel, IndexKernels.Add<float, F32>, View<float>(destination), offset, idx, li, View<float>(source), ls, k, size, inner, ErrorFlag),
            () => _launch.Launch(source.Numel, IndexKernels.Add<double, F64>, View<double>(destination), offset, idx, li, View<double>(source), ls, k, size, inner, ErrorFlag),
            () => _launch.Launch(source.Numel, IndexKernels.Add<long, I64>, View<long>(destination), offset, idx, li, View<long>(source), ls, k, size, inner, ErrorFlag),
            null,
            "index_add");
    }

    public Tensor Gather(Tensor source, int dim, Tensor index)
    {
        RequireIndex(index);
        var result = NewTensor(source.DType, index.Shape);
        var (lt, dimStride, size) = Along(index.ShapeRef, source.StridesRef, source.ShapeRef, source.Offset, dim);
        var (li, idx) = (Layout(index), View<long>(index));
        ByDType(
            source.DType,
            () => _launch.Launch(result.Numel, IndexKernels.Gather, View<float>(source), lt, dimStride, size, idx, li, View<float>(result), ErrorFlag),
            () => _launch.Launch(result.Numel, IndexKernels.Gather, View<double>(source), lt, dimStride, size, idx, li, View<double>(result), ErrorFlag),
            () => _launch.Launch(result.Numel, IndexKernels.Gather, View<long>(source), lt, dimStride, size, idx, li, View<long>(result), ErrorFlag),
            () => _launch.Launch(result.Numel, IndexKernels.Gather, View<byte>(source), lt, dimStride, size, idx, li, View<byte>(result), ErrorFlag),
            "gather");
        return result;
    }

    public void ScatterAdd(Tensor destination, int dim, Tensor index, Tensor source)
    {
        RequireIndex(index);
        RequireContiguous(destination, "scatter_add");
        var (lt, dimStride, size) = Along(index.ShapeRef, destination.StridesRef, destination.ShapeRef, destination.Offset, dim);
        var (li, idx) = (Layout(index), View<long>(index));
        var ls = StridedLayout.Of(index.ShapeRef, source.StridesRef, source.Offset);
        var n = index.Numel;
        ByDType(
            destination.DType,
            () => _launch.Launch(n, IndexKernels.ScatterAdd<float, F32>, View<float>(destination), lt, dimStride, size, idx, li, View<float>(source), ls, ErrorFlag),
            () => _launch.Launch(n, IndexKernels.ScatterAdd<double, F64>, View<double>(destination), lt, dimStride, size, idx, li, View<double>(source), ls, ErrorFlag),
            () => _launch.Launch(n, IndexKernels.ScatterAdd<long, I64>, View<long>(destination), lt, dimStride, size, idx, li, View<long>(source), ls, ErrorFlag),
            null,
            "scatter_add");
    }

    /// <summary>
    /// The positions of an index tensor's elements in a target (dim's stride zeroed, to be replaced by the index value),
    /// that dim's stride, and its size; a 0-d target has one element along its "dim".
    /// </summary>
    private static (StridedLayout Layout, int DimStride, int Size) Along(int[] indexShape, int[] targetStrides, int[] targetShape, int offset, int dim)
    {
        if (targetShape.Length == 0)
        {
            return (StridedLayout.DenseAt(offset), 1, 1);
        }

        var strides = (int[])targetStrides.Clone();
        strides[dim] = 0;
        return (StridedLayout.Of(indexShape, strides, offset), targetStrides[dim], targetShape[dim]);
    }

    private static void RequireIndex(Tensor index)
    {
        if (index.DType != DType.Int64)
        {
            throw new ArgumentException($"index tensors must be torch.int64, got {index.DType.TorchName()}");
        }
    }

    private static void RequireContiguous(Tensor destination, string op)
    {
        if (!destination.IsContiguous)
        {
            throw new ArgumentException($"{op} kernel needs a contiguous destination");
        }
    }

    private static (int Outer, int Inner) OuterInner(int[] shape, int dim)
    {
        var (outer, inner) = (1, 1);
        for (var d = 0; d < dim; d++)
        {
            outer *= shape[d];
        }

        for (var d = dim + 1; d < shape.Length; d++)
        {
            inner *= shape[d];
        }

        return (outer, inner);
    }
}
