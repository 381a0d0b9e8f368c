namespace DistGrad.Nn;

/// <summary>Max over kernelSize×kernelSize windows (stride defaults to the kernel size).</summary>
public sealed class MaxPool2d(int kernelSize, int? stride = null, int padding = 0) : Module
{
    public int KernelSize { get; } = kernelSize > 0 ? kernelSize : throw new ArgumentOutOfRangeException(nameof(kernelSize), kernelSize, "kernel size must be positive");

    public int Stride { get; } = stride ?? kernelSize;

    public int Padding { get; } = padding;

    protected override Tensor Compute(Tensor input) => input.MaxPool2d(KernelSize, Stride, Padding);

    protected override string ExtraRepr() => $"kernel_size={KernelSize}, stride={Stride}, padding={Padding}, dilation=1, ceil_mode=False";
}
