using System.Numerics;
using DistGrad.Kernels.Cpu.Gemm;

namespace DistGrad.Kernels.Cpu;

/// <summary>
/// Matrix products. Float32 and Float64 go through the packed GEMM, which reads the operands at their own
/// strides (a transposed weight or a sliced batch is not copied first); Int64 keeps a plain loop.
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
        switch (a.DType)
        {
            case DType.Float32: PackedMatMul<float>(a, b, result, batch, m, k, n); break;
            case DType.Float64: PackedMatMul<double>(a, b, result, batch, m, k, n); break;
            case DType.Int64: IntegerMatMul<long>(Dense(a), Dense(b), result, batch, m, k, n); break;
            default: throw new NotSupportedException("matmul is not defined for torch.bool tensors");
        }

        return result;
    }

    public Tensor AddMatMul(Tensor bias, Tensor a, Tensor b)
    {
        var (m, k, n) = (a.ShapeRef[0], a.ShapeRef[1], b.ShapeRef[1]);
        if (a.DType is not (DType.Float32 or DType.Float64))
        {
            return Binary(BinaryOp.Add, MatMul(a, b), bias.BroadcastRaw([m, n]));
        }

        // C starts as the bias rows and the GEMM adds onto it: no separate pass over C for the bias.
        var result = NewTensor(a.DType, [m, n]);
        Copy(bias.BroadcastRaw([m, n]), result);
        switch (a.DType)
        {
            case DType.Float32: PackedMatMul<float>(a, b, result, 1, m, k, n, accumulate: true); break;
            default: PackedMatMul<double>(a, b, result, 1, m, k, n, accumulate: true); break;
        }

        return result;
    }

    private static unsafe void PackedMatMul<T>(Tensor a, Tensor b, Tensor c, int batch, int m, int k, int n, bool accumulate = false)
        where T : unmanaged, INumber<T>
    {
        var (sa, sb) = (a.StridesRef, b.StridesRef);
        var d = a.Dim == 3 ? 1 : 0;
        var (batchA, batchB) = (d == 1 ? sa[0] : 0, d == 1 ? sb[0] : 0);
        fixed (T* pa = CpuStorage.Of<T>(a), pb = CpuStorage.Of<T>(b), pc = CpuStorage.Of<T>(c))
        {
            var (aBase, bBase, cBase) = ((nint)(pa + a.Offset), (nint)(pb + b.Offset), (nint)pc);
            var (ars, acs, brs, bcs) = (sa[d], sa[d + 1], sb[d], sb[d + 1]);

            void One(int i, bool parallel) => PackedGemm.Multiply(
                new MatrixRef<T>((T*)aBase + ((long)i * batchA), ars, acs),
                new MatrixRef<T>((T*)bBase + ((long)i * batchB), brs, bcs),
                (T*)cBase + ((long)i * m * n),
                n,
                m,
                n,
                k,
                accumulate,
                parallel);

            // Many small products: one per core at a time. Few large ones: each spread over the cores.
            var eachLarge = (long)m * n * k >= PackedGemm.ParallelThreshold;
            if (batch > 1 && !eachLarge && (long)batch * m * n * k >= PackedGemm.ParallelThreshold)
            {
                CpuThreads.For(0, batch, i => One(i, parallel: false));
            }
            else
            {
                for (var i = 0; i < batch; i++)
                {
                    One(i, parallel: true);
                }
            }
        }
    }

    private static void IntegerMatMul<T>(Tensor a, Tensor b, Tensor c, int batch, int m, int k, int n)
        where T : unmanaged, INumber<T>
    {
        var (ad, bd, cd) = (CpuStorage.Of<T>(a), CpuStorage.Of<T>(b), CpuStorage.Of<T>(c));
        var (ao, bo) = (a.Offset, b.Offset);
        for (var row = 0; row < batch * m; row++)
        {
            var (bi, i) = (row / m, row % m);
            var cRow = cd.AsSpan(row * n, n);
            var aRow = ad.AsSpan(ao + (((bi * m) + i) * k), k);
            var bBase = bo + (bi * k * n);
            for (var p = 0; p < k; p++)
            {
                var bRow = bd.AsSpan(bBase + (p * n), n);
                for (var j = 0; j < n; j++)
                {
                    cRow[j] += aRow[p] * bRow[j];
                }
            }
        }
    }
}
