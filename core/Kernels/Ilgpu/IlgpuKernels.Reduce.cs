using ILGPU;
using ILGPU.Runtime;

namespace DistGrad.Kernels.Ilgpu;

/// <summary>
/// Reductions: the input is viewed (not copied) with the kept dims first and the reduced ones last, so each output
/// reduces one run of consecutive positions. Short runs get a thread each; long runs a group each.
/// </summary>
internal sealed partial class IlgpuKernels
{
    public Tensor Reduce(ReduceOp op, Tensor x, int[] dims)
    {
        var reduced = new bool[x.Dim];
        foreach (var d in dims)
        {
            reduced[d] = true;
        }

        var outShape = x.Shape;
        foreach (var d in dims)
        {
            outShape[d] = 1;
        }

        var perm = Enumerable.Range(0, x.Dim).Where(d => !reduced[d]).Concat(Enumerable.Range(0, x.Dim).Where(d => reduced[d])).ToArray();
        var outCount = Shapes.Numel(outShape);
        var run = outCount == 0 ? 0 : x.Numel / outCount;
        if (run == 0 && op is ReduceOp.Max or ReduceOp.Min)
        {
            throw new ArgumentException($"{op.ToString().ToLowerInvariant()}(): cannot reduce over an empty dimension of a tensor of shape {Shapes.Format(x.ShapeRef)}");
        }

        if (op is ReduceOp.Any or ReduceOp.All)
        {
            var flags = x.DType == DType.Bool ? x : CastTo(x, DType.Bool);
            return ReduceRuns<byte, U8>(flags.PermutedRaw(perm), outShape, run, new() { Op = (int)(op == ReduceOp.Any ? ReduceOp.Max : ReduceOp.Min) });
        }

        var input = x.DType == DType.Bool ? CastTo(x, DType.Int64) : x;
        var permuted = input.PermutedRaw(perm);
        return input.DType switch
        {
            DType.Float32 => ReduceRuns<float, F32>(permuted, outShape, run, new() { Op = (int)op }),
            DType.Float64 => ReduceRuns<double, F64>(permuted, outShape, run, new() { Op = (int)op }),
            _ => ReduceRuns<long, I64>(permuted, outShape, run, new() { Op = (int)op }),
        };
    }

    private Tensor CastTo(Tensor x, DType dtype)
    {
        var result = NewTensor(dtype, x.Shape);
        Copy(x, result);
        return result;
    }

    private Tensor ReduceRuns<T, TM>(Tensor permuted, int[] outShape, int run, Reduction<T, TM> op)
        where T : unmanaged
        where TM : struct, INumeric<T>
    {
        var result = NewTensor(permuted.DType, outShape);
        var (x, lx, y) = (View<T>(permuted), Layout(permuted), View<T>(result));
        var threads = _emulated ? default(EmulatorTiles).Threads : default(GpuTiles).Threads;
        if (run < 4 * threads)
        {
            _launch.Launch(result.Numel, ReduceKernels.PerThread<T, Reduction<T, TM>>, x, lx, run, y, op);
        }
        else if (_emulated)
        {
            _launch.LaunchGrouped(new KernelConfig(result.Numel, threads), ReduceKernels.PerGroup<T, Reduction<T, TM>, EmulatorTiles>, x, lx, run, y, op);
        }
        else
        {
            _launch.LaunchGrouped(new KernelConfig(result.Numel, threads), ReduceKernels.PerGroup<T, Reduction<T, TM>, GpuTiles>, x, lx, run, y, op);
        }

        return result;
    }
}
