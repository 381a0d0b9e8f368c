using System.Numerics;
using System.Numerics.Tensors;

namespace DistGrad.Kernels.Cpu;

/// <summary>
/// Matrix products: row-by-row multiply-add (i-k-j order) so the inner loop is a SIMD axpy over a row of
/// B; rows are spread over cores for large products.
/// </summary>
internal sealed partial class CpuKernels
{
    private const long ParallelFlopThreshold = 1 << 18;

    public Tensor MatMul(Tensor a, Tensor b)
    {
        var batched = a.Dim == 3;
        var (batch, m, k) = batched ? (a.ShapeRef[0], a.ShapeRef[1], a.ShapeRef[2]) : (1, a.ShapeRef[0], a.ShapeRef[1]);
        var n = b.ShapeRef[^1];
        var result = NewTensor(a.DType, batched ? [batch, m, n] : [m, n]);
        var (da, db) = (Dense(a), Dense(b));
        switch (a.DType)
        {
            case DType.Float32: Gemm<float>(da, db, result, batch, m, k, n); break;
            case DType.Float64: Gemm<double>(da, db, result, batch, m, k, n); break;
            case DType.Int64: Gemm<long>(da, db, result, batch, m, k, n); break;
            default: throw new NotSupportedException("matmul is not defined for torch.bool tensors");
        }

        return result;
    }

    private static void Gemm<T>(Tensor a, Tensor b, Tensor c, int batch, int m, int k, int n)
        where T : unmanaged, INumber<T>
    {
        var (ad, bd, cd) = (CpuStorage.Of<T>(a), CpuStorage.Of<T>(b), CpuStorage.Of<T>(c));
        var (ao, bo) = (a.Offset, b.Offset);
        var rows = batch * m;

        void Row(int row)
        {
            var bi = row / m;
            var i = row % m;
            var cRow = cd.AsSpan(row * n, n);
            var aRow = ad.AsSpan(ao + (((bi * m) + i) * k), k);
            var bBase = bo + (bi * k * n);
            // No shortcut for a zero aip: 0 · inf must still give NaN, as in PyTorch.
            for (var p = 0; p < k; p++)
            {
                TensorPrimitives.MultiplyAdd(bd.AsSpan(bBase + (p * n), n), aRow[p], cRow, cRow);
            }
        }

        if ((long)rows * k * n < ParallelFlopThreshold)
        {
            for (var row = 0; row < rows; row++)
            {
                Row(row);
            }
        }
        else
        {
            Parallel.For(0, rows, Row);
        }
    }
}
