using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Algorithms.ScanReduceOperations;
using ILGPU.Runtime;

namespace DistGrad.Kernels.Ilgpu;

/// <summary>
/// Boolean-mask kernels. Select and scatter number the masked elements with an exclusive prefix sum of the mask
/// (ILGPU.Algorithms' scan); masked_select then reads the count back, as PyTorch's CUDA kernel does, because the
/// size of its output is data.
/// </summary>
internal sealed partial class IlgpuKernels
{
    private Scan<int, Stride1D.Dense, Stride1D.Dense>? _scan;

    public void MaskedFill(Tensor destination, Tensor mask, double value) => ByDType(
        destination.DType,
        () => MaskedFillTyped(destination, mask, (float)value),
        () => MaskedFillTyped(destination, mask, value),
        () => MaskedFillTyped(destination, mask, (long)value),
        () => MaskedFillTyped(destination, mask, value != 0 ? (byte)1 : (byte)0),
        "masked_fill");

    private void MaskedFillTyped<T>(Tensor destination, Tensor mask, T value)
        where T : unmanaged =>
        _launch.Launch(destination.Numel, ElementKernels.MaskedFill, View<T>(destination), Layout(destination), View<byte>(mask), Layout(mask), value);

    public Tensor MaskedSelect(Tensor source, Tensor mask)
    {
        var n = source.Numel;
        using var flags = new ScratchBuffer<int>(Pool, n);
        using var positions = new ScratchBuffer<int>(Pool, n);
        NumberMasked(mask, flags.View, positions.View);
        var count = 0;
        if (n > 0)
        {
            var last = new int[2];
            flags.View.SubView(n - 1, 1).CopyToCPU(Stream, last.AsSpan(0, 1));
            positions.View.SubView(n - 1, 1).CopyToCPU(Stream, last.AsSpan(1, 1));
            count = last[0] + last[1];
        }

        var result = NewTensor(source.DType, [count]);
        ByDType(
            source.DType,
            () => CompactTyped<float>(source, flags.View, positions.View, result),
            () => CompactTyped<double>(source, flags.View, positions.View, result),
            () => CompactTyped<long>(source, flags.View, positions.View, result),
            () => CompactTyped<byte>(source, flags.View, positions.View, result),
            "masked_select");
        return result;
    }

    public void MaskedScatter(Tensor destination, Tensor mask, Tensor values)
    {
        var n = destination.Numel;
        using var flags = new ScratchBuffer<int>(Pool, n);
        using var positions = new ScratchBuffer<int>(Pool, n);
        NumberMasked(mask, flags.View, positions.View);
        ByDType(
            destination.DType,
            () => SpreadTyped<float>(destination, flags.View, positions.View, values),
            () => SpreadTyped<double>(destination, flags.View, positions.View, values),
            () => SpreadTyped<long>(destination, flags.View, positions.View, values),
            () => SpreadTyped<byte>(destination, flags.View, positions.View, values),
            "masked_scatter");
    }

    /// <summary>flags = the mask as 0/1 ints; positions = their exclusive prefix sum (each masked element's rank).</summary>
    private void NumberMasked(Tensor mask, ArrayView<int> flags, ArrayView<int> positions)
    {
        var n = (int)flags.Length;
        if (n == 0)
        {
            return;
        }

        _launch.Launch(n, IndexKernels.Flags, View<byte>(mask), Layout(mask), flags);
        _scan ??= _accelerator.CreateScan<int, Stride1D.Dense, Stride1D.Dense, AddInt32>(ScanKind.Exclusive);
        using var temp = new ScratchBuffer<int>(Pool, _accelerator.ComputeScanTempStorageSize<int>(n));
        _launch.Bind();
        _scan(Stream, flags.AsDense(), positions.AsDense(), temp.View);
    }

    private void CompactTyped<T>(Tensor source, ArrayView<int> flags, ArrayView<int> positions, Tensor result)
        where T : unmanaged =>
        _launch.Launch(source.Numel, IndexKernels.Compact, View<T>(source), Layout(source), flags, positions, View<T>(result));

    private void SpreadTyped<T>(Tensor destination, ArrayView<int> flags, ArrayView<int> positions, Tensor values)
        where T : unmanaged =>
        _launch.Launch(destination.Numel, IndexKernels.Spread, View<T>(destination), Layout(destination), flags, positions, View<T>(values), Layout(values), values.Numel, ErrorFlag);
}
