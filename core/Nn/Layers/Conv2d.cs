namespace DistGrad.Nn;

/// <summary>2-D convolution over [N, C, H, W], initialised as PyTorch: U(−1/√fan_in, 1/√fan_in).</summary>
public sealed class Conv2d : Module
{
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0, bool bias = true, Generator? generator = null)
    {
        if (inChannels <= 0 || outChannels <= 0 || kernelSize <= 0 || stride <= 0 || padding < 0)
        {
            throw new ArgumentException(
                $"Conv2d needs positive channels, kernel size and stride and a non-negative padding, got ({inChannels}, {outChannels}, kernelSize={kernelSize}, stride={stride}, padding={padding})");
        }

        (InChannels, OutChannels, KernelSize, Stride, Padding) = (inChannels, outChannels, kernelSize, stride, padding);
        Weight = RegisterParameter("weight", Tensor.Empty([outChannels, inChannels, kernelSize, kernelSize]))!;
        Bias = RegisterParameter("bias", bias ? Tensor.Empty([outChannels]) : null);
        Init.KaimingUniform(Weight, a: Math.Sqrt(5), generator: generator);
        if (Bias != null)
        {
            var bound = 1 / Math.Sqrt(inChannels * kernelSize * kernelSize);
            Init.Uniform(Bias, -bound, bound, generator);
        }
    }

    public int InChannels { get; }

    public int OutChannels { get; }

    public int KernelSize { get; }

    public int Stride { get; }

    public int Padding { get; }

    public Tensor Weight { get; }

    public Tensor? Bias { get; }

    protected override Tensor Compute(Tensor input) => Tensor.Conv2d(input, Weight, Bias, Stride, Padding);

    protected override string ExtraRepr() =>
        $"{InChannels}, {OutChannels}, kernel_size=({KernelSize}, {KernelSize}), stride=({Stride}, {Stride})" +
        (Padding != 0 ? $", padding=({Padding}, {Padding})" : string.Empty) + (Bias == null ? ", bias=False" : string.Empty);
}
