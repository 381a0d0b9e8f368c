using System.Numerics;
using System.Numerics.Tensors;

namespace DistGrad.Kernels.Cpu;

/// <summary>
/// Indexing by Int64 index tensors: index_select / index_add move whole slices (span copies and SIMD adds
/// over [outer, size, inner] views), gather / scatter_add move single elements. Index values are checked
/// here, where they are read; sums run in index order, so repeated indices accumulate deterministically.
/// </summary>
internal sealed partial class CpuKernels
{
    public Tensor IndexSelect(Tensor source, int dim, Tensor index)
    {
        var idx = IndexArray(index);
        var shape = source.ShapeRef;
        var size = shape[dim];
        foreach (var i in idx)
        {
            if ((ulong)i >= (ulong)size)
            {
                throw new IndexOutOfRangeException("index out of range in self");
            }
        }

        var outShape = source.Shape;
        outShape[dim] = idx.Length;
        var result = NewTensor(source.DType, outShape);
        var src = Dense(source);
        var (outer, inner) = OuterInner(shape, dim);
        switch (source.DType)
        {
            case DType.Float32: SelectSlices(Span<float>(src), Span<float>(result), idx, outer, size, inner); break;
            case DType.Float64: SelectSlices(Span<double>(src), Span<double>(result), idx, outer, size, inner); break;
            case DType.Int64: SelectSlices(Span<long>(src), Span<long>(result), idx, outer, size, inner); break;
            default: SelectSlices(Span<bool>(src), Span<bool>(result), idx, outer, size, inner); break;
        }

        return result;
    }

    public void IndexAdd(Tensor destination, int dim, Tensor index, Tensor source)
    {
        RequireContiguous(destination, "index_add");
        var idx = IndexArray(index);
        var shape = destination.ShapeRef;
        var size = shape[dim];
        foreach (var i in idx)
        {
            if ((ulong)i >= (ulong)size)
            {
                throw new IndexOutOfRangeException("index out of range in self");
            }
        }

        var src = Dense(source);
        var (outer, inner) = OuterInner(shape, dim);
        switch (destination.DType)
        {
            case DType.Float32: AddSlices(Span<float>(destination), Span<float>(src), idx, outer, size, inner); break;
            case DType.Float64: AddSlices(Span<double>(destination), Span<double>(src), idx, outer, size, inner); break;
            case DType.Int64: AddSlices(Span<long>(destination), Span<long>(src), idx, outer, size, inner); break;
            default: throw new NotSupportedException($"index_add is not defined for {destination.DType.TorchName()} tensors");
        }
    }

    public Tensor Gather(Tensor source, int dim, Tensor index)
    {
        var result = NewTensor(source.DType, index.Shape);
        var src = Dense(source);
        var idx = IndexArray(index);
        switch (source.DType)
        {
            case DType.Float32: GatherElements(Span<float>(src), src.ShapeRef, Span<float>(result), idx, index.ShapeRef, dim); break;
            case DType.Float64: GatherElements(Span<double>(src), src.ShapeRef, Span<double>(result), idx, index.ShapeRef, dim); break;
            case DType.Int64: GatherElements(Span<long>(src), src.ShapeRef, Span<long>(result), idx, index.ShapeRef, dim); break;
            default: GatherElements(Span<bool>(src), src.ShapeRef, Span<bool>(result), idx, index.ShapeRef, dim); break;
        }

        return result;
    }

    public void ScatterAdd(Tensor destination, int dim, Tensor index, Tensor source)
    {
        RequireContiguous(destination, "scatter_add");
        var src = Dense(source);
        var idx = IndexArray(index);
        switch (destination.DType)
        {
            case DType.Float32: ScatterAddElements(Span<float>(destination), destination.ShapeRef, Span<float>(src), src.ShapeRef, idx, index.ShapeRef, dim); break;
            case DType.Float64: ScatterAddElements(Span<double>(destination), destination.ShapeRef, Span<double>(src), src.ShapeRef, idx, index.ShapeRef, dim); break;
            case DType.Int64: ScatterAddElements(Span<long>(destination), destination.ShapeRef, Span<long>(src), src.ShapeRef, idx, index.ShapeRef, dim); break;
            default: throw new NotSupportedException($"scatter_add is not defined for {destination.DType.TorchName()} tensors");
        }
    }

    /// <summary>The index values in row-major order (the storage itself when the index is dense and whole).</summary>
    private static long[] IndexArray(Tensor index)
    {
        if (index.DType != DType.Int64)
        {
            throw new ArgumentException($"index tensors must be torch.int64, got {index.DType.TorchName()}");
        }

        return (long[])Instance.ToHost(index);
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

    private static void SelectSlices<T>(ReadOnlySpan<T> src, Span<T> dst, long[] idx, int outer, int size, int inner)
    {
        var k = idx.Length;
        for (var o = 0; o < outer; o++)
        {
            for (var j = 0; j < k; j++)
            {
                src.Slice((int)(((o * size) + idx[j]) * inner), inner).CopyTo(dst.Slice(((o * k) + j) * inner, inner));
            }
        }
    }

    private static void AddSlices<T>(Span<T> dst, ReadOnlySpan<T> src, long[] idx, int outer, int size, int inner)
        where T : INumber<T>
    {
        var k = idx.Length;
        for (var o = 0; o < outer; o++)
        {
            for (var j = 0; j < k; j++)
            {
                var target = dst.Slice((int)(((o * size) + idx[j]) * inner), inner);
                TensorPrimitives.Add(target, src.Slice(((o * k) + j) * inner, inner), target);
            }
        }
    }

    private static void GatherElements<T>(ReadOnlySpan<T> src, int[] srcShape, Span<T> dst, long[] idx, int[] indexShape, int dim)
    {
        var walk = new IndexWalk(indexShape, srcShape, dim);
        var size = srcShape.Length == 0 ? 1 : srcShape[dim];
        for (var i = 0; i < idx.Length; i++)
        {
            var v = idx[i];
            if ((ulong)v >= (ulong)size)
            {
                throw new IndexOutOfRangeException($"index {v} is out of bounds for dimension {dim} with size {size}");
            }

            dst[i] = src[walk.TargetBase + (int)(v * walk.DimStride)];
            walk.Advance();
        }
    }

    private static void ScatterAddElements<T>(Span<T> dst, int[] dstShape, ReadOnlySpan<T> src, int[] srcShape, long[] idx, int[] indexShape, int dim)
        where T : INumber<T>
    {
        var walk = new IndexWalk(indexShape, dstShape, dim, srcShape);
        var size = dstShape.Length == 0 ? 1 : dstShape[dim];
        for (var i = 0; i < idx.Length; i++)
        {
            var v = idx[i];
            if ((ulong)v >= (ulong)size)
            {
                throw new IndexOutOfRangeException($"index {v} is out of bounds for dimension {dim} with size {size}");
            }

            dst[walk.TargetBase + (int)(v * walk.DimStride)] += src[walk.SourceOffset];
            walk.Advance();
        }
    }

    /// <summary>
    /// Walks the positions of an index tensor in row-major order, tracking where each position lands in a
    /// dense target (with the coordinate along dim left out, to be replaced by the index value) and in a
    /// dense source of possibly larger shape (every coordinate kept).
    /// </summary>
    private sealed class IndexWalk
    {
        private readonly int[] _shape;
        private readonly int[] _targetStrides;
        private readonly int[] _sourceStrides;
        private readonly int[] _position;

        public IndexWalk(int[] indexShape, int[] targetShape, int dim, int[]? sourceShape = null)
        {
            _shape = indexShape;
            _position = new int[indexShape.Length];
            _targetStrides = Shapes.ContiguousStrides(targetShape);
            DimStride = _targetStrides.Length == 0 ? 1 : _targetStrides[dim];
            if (_targetStrides.Length > 0)
            {
                _targetStrides[dim] = 0;
            }

            _sourceStrides = Shapes.ContiguousStrides(sourceShape ?? indexShape);
        }

        public int DimStride { get; }

        public int TargetBase { get; private set; }

        public int SourceOffset { get; private set; }

        public void Advance()
        {
            for (var d = _shape.Length - 1; d >= 0; d--)
            {
                _position[d]++;
                TargetBase += _targetStrides[d];
                SourceOffset += _sourceStrides[d];
                if (_position[d] < _shape[d])
                {
                    return;
                }

                TargetBase -= _targetStrides[d] * _shape[d];
                SourceOffset -= _sourceStrides[d] * _shape[d];
                _position[d] = 0;
            }
        }
    }
}
