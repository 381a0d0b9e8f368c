namespace DistGrad.Kernels.Ilgpu;

/// <summary>Softmax and log-softmax along one dim: input and output are viewed with that dim last, nothing is copied.</summary>
internal sealed partial class IlgpuKernels
{
    public Tensor Softmax(Tensor x, int dim, bool log)
    {
        var result = NewTensor(x.DType, x.Shape);
        var last = x.Dim - 1;
        var (input, output) = x.Dim == 0 || dim == last ? (x, result) : (x.TransposedRaw(dim, last), result.TransposedRaw(dim, last));
        var n = x.Dim == 0 ? 1 : x.ShapeRef[dim];
        var rows = n == 0 ? 0 : x.Numel / n;
        var flag = log ? 1 : 0;
        ByDType(
            x.DType,
            () => _launch.Launch(rows, RowKernels.Softmax<float, F32>, View<float>(input), Layout(input), View<float>(output), Layout(output), n, flag),
            () => _launch.Launch(rows, RowKernels.Softmax<double, F64>, View<double>(input), Layout(input), View<double>(output), Layout(output), n, flag),
            null,
            null,
            "softmax");
        return result;
    }
}
