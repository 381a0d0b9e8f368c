using ILGPU;
using ILGPU.Runtime;

namespace DistGrad.Kernels.Ilgpu;

/// <summary>Matrix products through the tiled shared-memory GEMM, operands read through their strides.</summary>
internal sealed partial class IlgpuKernels
{
    public Tensor MatMul(Tensor a, Tensor b)
    {
        var batched = a.Dim == 3;
        var (batch, m, k) = batched ? (a.ShapeRef[0], a.ShapeRef[1], a.ShapeRef[2]) : (1, a.ShapeRef[0], a.ShapeRef[1]);
        var n = b.ShapeRef[^1];
        var result = NewTensor(a.DType, batched ? [batch, m, n] : [m, n]);
        var (la, lb) = (MatrixLayout.Of(a), MatrixLayout.Of(b));
        ByDType(
            a.DType,
            () => Gemm<float, F32>(View<float>(a), la, View<float>(b), lb, View<float>(result), batch, m, n, k),
            () => Gemm<double, F64>(View<double>(a), la, View<double>(b), lb, View<double>(result), batch, m, n, k),
            () => Gemm<long, I64>(View<long>(a), la, View<long>(b), lb, View<long>(result), batch, m, n, k),
            null,
            "matmul");
        return result;
    }

    /// <summary>c[batch, m, n] (dense, from offset 0) = a · b for every batch.</summary>
    private void Gemm<T, TM>(ArrayView<T> a, MatrixLayout la, ArrayView<T> b, MatrixLayout lb, ArrayView<T> c, int batch, int m, int n, int k)
        where T : unmanaged
        where TM : struct, INumeric<T>
    {
        if (_emulated)
        {
            var tiles = default(EmulatorTiles);
            var tile = 4 * tiles.Side;
            var config = new KernelConfig(new Index3D((n + tile - 1) / tile, (m + tile - 1) / tile, batch), new Index3D(tiles.Threads, 1, 1));
            _launch.LaunchGrouped(config, GemmKernel.Tiled<T, TM, EmulatorTiles>, a, la, b, lb, c, m, n, k);
        }
        else
        {
            var tiles = default(GpuTiles);
            var tile = 4 * tiles.Side;
            var config = new KernelConfig(new Index3D((n + tile - 1) / tile, (m + tile - 1) / tile, batch), new Index3D(tiles.Threads, 1, 1));
            _launch.LaunchGrouped(config, GemmKernel.Tiled<T, TM, GpuTiles>, a, la, b, lb, c, m, n, k);
        }
    }
}
