using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace DistGrad.Kernels.Cpu;

/// <summary>
/// 2-D convolution by im2col + GEMM, one sample at a time: the sample's input is unfolded into a
/// [C·kH·kW, OH·OW] matrix ("col"), so the forward is weight [O, C·kH·kW] × col, the weight gradient is
/// grad [O, OH·OW] × colᵀ and the input gradient is weightᵀ × grad folded back (col2im). Each product is
/// one call of the packed GEMM, which reads the transposed operands at their strides. Samples are spread
/// over cores in a fixed number of chunks that depends only on the shapes, and per-chunk weight gradients
/// are summed in chunk order, so results are the same from run to run.
/// </summary>
internal sealed partial class CpuKernels
{
    /// <summary>At most this many weight-gradient partial sums are kept (one per chunk of samples).</summary>
    private const int MaxConvChunks = 16;

    /// <summary>Keep chunks' partial weight gradients below this many elements in all.</summary>
    private const int MaxPartialElements = 1 << 22;

    /// <summary>Keep the im2col buffers of chunks running at once below this many elements in all (large images get fewer chunks).</summary>
    private const int MaxColElements = 1 << 25;

    public Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias, Window2d window)
    {
        var s = ConvShape.Of(input.ShapeRef, weight.ShapeRef, window);
        var result = NewTensor(input.DType, [s.N, s.O, s.OH, s.OW]);
        var (x, w) = (Dense(input), Dense(weight));
        var b = bias == null ? null : Dense(bias);
        switch (input.DType)
        {
            case DType.Float32: ConvForward<float>(x, w, b, result, s); break;
            case DType.Float64: ConvForward<double>(x, w, b, result, s); break;
            case DType.Int64: ConvForward<long>(x, w, b, result, s); break;
            default: throw new NotSupportedException($"conv2d is not defined for {input.DType.TorchName()} tensors");
        }

        return result;
    }

    public Tensor Conv2dInputGrad(Tensor grad, Tensor weight, int[] inputShape, Window2d window)
    {
        var s = ConvShape.Of(inputShape, weight.ShapeRef, window);
        CheckGradShape(grad, s);
        var result = NewTensor(grad.DType, inputShape);
        var (g, w) = (Dense(grad), Dense(weight));
        switch (grad.DType)
        {
            case DType.Float32: ConvInputGrad<float>(g, w, result, s); break;
            case DType.Float64: ConvInputGrad<double>(g, w, result, s); break;
            case DType.Int64: ConvInputGrad<long>(g, w, result, s); break;
            default: throw new NotSupportedException($"conv2d is not defined for {grad.DType.TorchName()} tensors");
        }

        return result;
    }

    public Tensor Conv2dWeightGrad(Tensor input, Tensor grad, int[] weightShape, Window2d window)
    {
        var s = ConvShape.Of(input.ShapeRef, weightShape, window);
        CheckGradShape(grad, s);
        var result = NewTensor(grad.DType, weightShape);
        var (x, g) = (Dense(input), Dense(grad));
        switch (grad.DType)
        {
            case DType.Float32: ConvWeightGrad<float>(x, g, result, s); break;
            case DType.Float64: ConvWeightGrad<double>(x, g, result, s); break;
            case DType.Int64: ConvWeightGrad<long>(x, g, result, s); break;
            default: throw new NotSupportedException($"conv2d is not defined for {grad.DType.TorchName()} tensors");
        }

        return result;
    }

    private static void CheckGradShape(Tensor grad, in ConvShape s)
    {
        var g = grad.ShapeRef;
        if (g.Length != 4 || g[0] != s.N || g[1] != s.O || g[2] != s.OH || g[3] != s.OW)
        {
            throw new ArgumentException($"conv2d gradient of shape {Shapes.Format(g)} does not match the output shape {Shapes.Format([s.N, s.O, s.OH, s.OW])}");
        }
    }

    private static void ConvForward<T>(Tensor input, Tensor weight, Tensor? bias, Tensor output, ConvShape s)
        where T : unmanaged, INumber<T>
    {
        var (xd, xo) = (CpuStorage.Of<T>(input), input.Offset);
        var (wd, wo) = (CpuStorage.Of<T>(weight), weight.Offset);
        var bd = bias == null ? null : CpuStorage.Of<T>(bias);
        var bo = bias?.Offset ?? 0;
        var yd = CpuStorage.Of<T>(output);
        var innerParallel = s.SplitsSamples(SampleChunks(s, s.MaxChunks).Length);

        void Sample(int n, T[] colBuffer)
        {
            if (!s.IsPointwise)
            {
                Im2Col<T>(xd.AsSpan(xo + (n * s.InputPlaneSize), s.InputPlaneSize), colBuffer.AsSpan(0, s.ColSize), s);
            }

            var colArray = s.IsPointwise ? xd : colBuffer;
            var colOffset = s.IsPointwise ? xo + (n * s.InputPlaneSize) : 0;
            var yBase = n * s.O * s.L;

            // y[n] = weight [O, Ckk] · col [Ckk, L], onto rows that start at the bias.
            if (bd != null)
            {
                for (var o = 0; o < s.O; o++)
                {
                    yd.AsSpan(yBase + (o * s.L), s.L).Fill(bd[bo + o]);
                }
            }

            GemmInto(wd, wo, s.Ckk, 1, colArray, colOffset, s.L, 1, yd, yBase, s.L, s.O, s.L, s.Ckk, accumulate: bd != null, innerParallel);
        }

        ForEachSample<T>(s, Sample);
    }

    private static void ConvInputGrad<T>(Tensor grad, Tensor weight, Tensor inputGrad, ConvShape s)
        where T : unmanaged, INumber<T>
    {
        var (gd, go) = (CpuStorage.Of<T>(grad), grad.Offset);
        var (wd, wo) = (CpuStorage.Of<T>(weight), weight.Offset);
        var xd = CpuStorage.Of<T>(inputGrad);
        var innerParallel = s.SplitsSamples(SampleChunks(s, s.MaxChunks).Length);

        void Sample(int n, T[] colBuffer)
        {
            // col [Ckk, L] = weightᵀ [Ckk, O] · grad[n] [O, L], then folded into the input gradient.
            var gBase = go + (n * s.O * s.L);
            var cols = s.IsPointwise ? xd : colBuffer;
            var colOffset = s.IsPointwise ? n * s.InputPlaneSize : 0;
            GemmInto(wd, wo, 1, s.Ckk, gd, gBase, s.L, 1, cols, colOffset, s.L, s.Ckk, s.L, s.O, accumulate: false, innerParallel);

            if (!s.IsPointwise)
            {
                Col2Im<T>(colBuffer.AsSpan(0, s.ColSize), xd.AsSpan(n * s.InputPlaneSize, s.InputPlaneSize), s);
            }
        }

        ForEachSample<T>(s, Sample);
    }

    private static void ConvWeightGrad<T>(Tensor input, Tensor grad, Tensor weightGrad, ConvShape s)
        where T : unmanaged, INumber<T>
    {
        var (xd, xo) = (CpuStorage.Of<T>(input), input.Offset);
        var (gd, go) = (CpuStorage.Of<T>(grad), grad.Offset);
        var weightSize = s.O * s.Ckk;
        var chunks = SampleChunks(s, Math.Max(1, Math.Min(s.MaxChunks, MaxPartialElements / Math.Max(weightSize, 1))));
        var partials = new T[chunks.Length][];
        var innerParallel = s.SplitsSamples(chunks.Length);

        void Chunk(int c)
        {
            var (start, end) = chunks[c];
            // Pooled: a training loop asks for the same partial sums every step.
            var acc = ArrayPool<T>.Shared.Rent(weightSize);
            acc.AsSpan(0, weightSize).Clear();
            var colBuffer = s.IsPointwise ? Array.Empty<T>() : ArrayPool<T>.Shared.Rent(s.ColSize);
            for (var n = start; n < end; n++)
            {
                var x = xd.AsSpan(xo + (n * s.InputPlaneSize), s.InputPlaneSize);
                if (!s.IsPointwise)
                {
                    Im2Col<T>(x, colBuffer.AsSpan(0, s.ColSize), s);
                }

                var cols = s.IsPointwise ? xd : colBuffer;
                var colOffset = s.IsPointwise ? xo + (n * s.InputPlaneSize) : 0;
                var gBase = go + (n * s.O * s.L);

                // acc [O, Ckk] += grad[n] [O, L] · colᵀ [L, Ckk]
                GemmInto(gd, gBase, s.L, 1, cols, colOffset, 1, s.L, acc, 0, s.Ckk, s.O, s.Ckk, s.L, accumulate: true, innerParallel);
            }

            if (!s.IsPointwise)
            {
                ArrayPool<T>.Shared.Return(colBuffer);
            }

            partials[c] = acc;
        }

        if (chunks.Length > 1)
        {
            CpuThreads.For(0, chunks.Length, Chunk);
        }
        else if (chunks.Length == 1)
        {
            Chunk(0);
        }

        var result = Span<T>(weightGrad);
        foreach (var partial in partials)
        {
            TensorPrimitives.Add(result, partial.AsSpan(0, weightSize), result);
            ArrayPool<T>.Shared.Return(partial);
        }
    }

    /// <summary>Runs <paramref name="sample"/> on every sample, chunks of samples in parallel, each chunk with one rented im2col buffer.</summary>
    private static void ForEachSample<T>(ConvShape s, Action<int, T[]> sample) =>
        ForEachSampleChunk(s, (start, end) =>
        {
            var colBuffer = s.IsPointwise ? Array.Empty<T>() : ArrayPool<T>.Shared.Rent(s.ColSize);
            for (var n = start; n < end; n++)
            {
                sample(n, colBuffer);
            }

            if (!s.IsPointwise)
            {
                ArrayPool<T>.Shared.Return(colBuffer);
            }
        });

    private static void ForEachSampleChunk(ConvShape s, Action<int, int> body)
    {
        var chunks = SampleChunks(s, s.MaxChunks);
        if (chunks.Length > 1)
        {
            CpuThreads.For(0, chunks.Length, c => body(chunks[c].Start, chunks[c].End));
        }
        else if (chunks.Length == 1)
        {
            body(chunks[0].Start, chunks[0].End);
        }
    }

    /// <summary>Splits the batch into at most <paramref name="maxChunks"/> near-equal runs (one run for small work).</summary>
    private static (int Start, int End)[] SampleChunks(ConvShape s, int maxChunks)
    {
        var count = s.Flops < ParallelFlopThreshold ? Math.Min(s.N, 1) : Math.Min(s.N, maxChunks);
        var chunks = new (int, int)[count];
        for (var c = 0; c < count; c++)
        {
            chunks[c] = ((int)((long)s.N * c / count), (int)((long)s.N * (c + 1) / count));
        }

        return chunks;
    }

    /// <summary>Unfolds one sample [C, H, W] into col [C·kH·kW, OH·OW]; taps that fall in the padding read 0.</summary>
    private static void Im2Col<T>(ReadOnlySpan<T> x, Span<T> col, in ConvShape s)
        where T : unmanaged, INumber<T>
    {
        var w = s.Window;
        var row = 0;
        for (var c = 0; c < s.C; c++)
        {
            for (var kh = 0; kh < w.KernelH; kh++)
            {
                var hOffset = (kh * w.DilationH) - w.PadH;
                for (var kw = 0; kw < w.KernelW; kw++, row++)
                {
                    var wOffset = (kw * w.DilationW) - w.PadW;
                    var (owStart, owEnd) = ValidRange(wOffset, w.StrideW, s.W, s.OW);
                    var dst = col.Slice(row * s.L, s.L);
                    for (var oh = 0; oh < s.OH; oh++)
                    {
                        var seg = dst.Slice(oh * s.OW, s.OW);
                        var ih = (oh * w.StrideH) + hOffset;
                        if ((uint)ih >= (uint)s.H || owStart >= owEnd)
                        {
                            seg.Clear();
                            continue;
                        }

                        seg[..owStart].Clear();
                        seg[owEnd..].Clear();
                        var xRow = x.Slice(((c * s.H) + ih) * s.W, s.W);
                        if (w.StrideW == 1)
                        {
                            xRow.Slice(owStart + wOffset, owEnd - owStart).CopyTo(seg[owStart..owEnd]);
                        }
                        else
                        {
                            for (var ow = owStart; ow < owEnd; ow++)
                            {
                                seg[ow] = xRow[(ow * w.StrideW) + wOffset];
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>The adjoint of <see cref="Im2Col{T}"/>: adds each col entry into the input position it was read from.</summary>
    private static void Col2Im<T>(ReadOnlySpan<T> col, Span<T> x, in ConvShape s)
        where T : unmanaged, INumber<T>
    {
        var w = s.Window;
        x.Clear();
        var row = 0;
        for (var c = 0; c < s.C; c++)
        {
            for (var kh = 0; kh < w.KernelH; kh++)
            {
                var hOffset = (kh * w.DilationH) - w.PadH;
                for (var kw = 0; kw < w.KernelW; kw++, row++)
                {
                    var wOffset = (kw * w.DilationW) - w.PadW;
                    var (owStart, owEnd) = ValidRange(wOffset, w.StrideW, s.W, s.OW);
                    if (owStart >= owEnd)
                    {
                        continue;
                    }

                    var src = col.Slice(row * s.L, s.L);
                    for (var oh = 0; oh < s.OH; oh++)
                    {
                        var ih = (oh * w.StrideH) + hOffset;
                        if ((uint)ih >= (uint)s.H)
                        {
                            continue;
                        }

                        var seg = src.Slice(oh * s.OW, s.OW);
                        var xRow = x.Slice(((c * s.H) + ih) * s.W, s.W);
                        if (w.StrideW == 1)
                        {
                            var target = xRow.Slice(owStart + wOffset, owEnd - owStart);
                            TensorPrimitives.Add(target, seg[owStart..owEnd], target);
                        }
                        else
                        {
                            for (var ow = owStart; ow < owEnd; ow++)
                            {
                                xRow[(ow * w.StrideW) + wOffset] += seg[ow];
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>The output columns ow in [start, end) whose input column ow·stride + offset lies in [0, size).</summary>
    private static (int Start, int End) ValidRange(int offset, int stride, int size, int outSize)
    {
        var start = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
        var end = size - 1 - offset < 0 ? 0 : Math.Min(outSize, ((size - 1 - offset) / stride) + 1);
        return (Math.Min(start, outSize), end);
    }

    /// <summary>Sizes of one convolution: batch, channels, spatial extents, and the im2col matrix.</summary>
    private readonly record struct ConvShape(int N, int C, int H, int W, int O, int OH, int OW, Window2d Window)
    {
        public static ConvShape Of(int[] inputShape, int[] weightShape, Window2d window) => new(
            inputShape[0], inputShape[1], inputShape[2], inputShape[3], weightShape[0], window.OutH(inputShape[2]), window.OutW(inputShape[3]), window);

        /// <summary>Output positions per sample and channel.</summary>
        public int L => OH * OW;

        /// <summary>Rows of the im2col matrix: C·kH·kW.</summary>
        public int Ckk => C * Window.KernelH * Window.KernelW;

        public int ColSize => Ckk * L;

        public int InputPlaneSize => C * H * W;

        /// <summary>Multiply-adds of the whole convolution.</summary>
        public long Flops => (long)N * O * Ckk * L;

        /// <summary>
        /// Whether each sample's channels are spread over cores as well: when the chunks of samples are fewer than the
        /// cores and one sample is much work (a few large images). Each core still writes its own rows, so results
        /// do not depend on it.
        /// </summary>
        public bool SplitsSamples(int chunks) => chunks < CpuThreads.Available && (long)O * Ckk * L >= ParallelFlopThreshold / 4;

        /// <summary>How many chunks of samples may be in flight: at most 16, fewer when one im2col buffer is large.</summary>
        public int MaxChunks => (int)Math.Clamp(MaxColElements / Math.Max((long)ColSize, 1), 1, MaxConvChunks);

        /// <summary>A 1×1 kernel with unit stride and no padding: col is the input itself.</summary>
        public bool IsPointwise => Window is { KernelH: 1, KernelW: 1, StrideH: 1, StrideW: 1, PadH: 0, PadW: 0 };
    }
}
