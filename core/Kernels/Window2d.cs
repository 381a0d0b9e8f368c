namespace DistGrad.Kernels;

/// <summary>
/// The geometry of a 2-D sliding window (convolution and pooling): kernel extent, stride, zero/-inf padding
/// on each side and dilation, per spatial dim. Output position (oh, ow) with kernel tap (kh, kw) reads input
/// row oh·StrideH − PadH + kh·DilationH and column ow·StrideW − PadW + kw·DilationW.
/// </summary>
public readonly record struct Window2d(int KernelH, int KernelW, int StrideH, int StrideW, int PadH, int PadW, int DilationH = 1, int DilationW = 1)
{
    /// <summary>The span of input one window covers along H: dilation·(kernel − 1) + 1.</summary>
    public int EffectiveKernelH => (DilationH * (KernelH - 1)) + 1;

    /// <summary>The span of input one window covers along W.</summary>
    public int EffectiveKernelW => (DilationW * (KernelW - 1)) + 1;

    /// <summary>Output height for input height <paramref name="h"/> (floor mode).</summary>
    public int OutH(int h) => ((h + (2 * PadH) - EffectiveKernelH) / StrideH) + 1;

    /// <summary>Output width for input width <paramref name="w"/> (floor mode).</summary>
    public int OutW(int w) => ((w + (2 * PadW) - EffectiveKernelW) / StrideW) + 1;
}
