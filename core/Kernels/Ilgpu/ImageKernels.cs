using ILGPU;

namespace DistGrad.Kernels.Ilgpu;

/// <summary>The sizes of one 2-D convolution or pooling, as a kernel parameter.</summary>
internal struct ImageGeometry
{
    public int N;
    public int C;
    public int H;
    public int W;
    public int OH;
    public int OW;
    public int KH;
    public int KW;
    public int SH;
    public int SW;
    public int PH;
    public int PW;
    public int DH;
    public int DW;

    public static ImageGeometry Of(int[] input, Window2d w, int outH, int outW) => new()
    {
        N = input[0],
        C = input[1],
        H = input[2],
        W = input[3],
        OH = outH,
        OW = outW,
        KH = w.KernelH,
        KW = w.KernelW,
        SH = w.StrideH,
        SW = w.StrideW,
        PH = w.PadH,
        PW = w.PadW,
        DH = w.DilationH,
        DW = w.DilationW,
    };

    /// <summary>Rows of the im2col matrix: C·kH·kW.</summary>
    public readonly int Ckk => C * KH * KW;

    /// <summary>Output positions per plane.</summary>
    public readonly int L => OH * OW;
}

/// <summary>
/// Device code of convolution and pooling. Convolution is im2col + the tiled GEMM; the input gradient folds the
/// column gradient back with one thread per input element that sums the taps reading it (no atomics, so the
/// result does not depend on thread order).
/// </summary>
internal static class ImageKernels
{
    /// <summary>col[n, (c·kH + kh)·kW + kw, oh·OW + ow] = input[n, c, ih, iw], 0 where the tap falls in the padding.</summary>
    public static void Im2Col<T>(Index1D e, ArrayView<T> x, StridedLayout lx, ArrayView<T> col, ImageGeometry g)
        where T : unmanaged
    {
        var l = e % g.L;
        var rest = e / g.L;
        var p = rest % g.Ckk;
        var n = rest / g.Ckk;
        var kw = p % g.KW;
        var kh = (p / g.KW) % g.KH;
        var c = p / (g.KW * g.KH);
        var ih = ((l / g.OW) * g.SH) - g.PH + (kh * g.DH);
        var iw = ((l % g.OW) * g.SW) - g.PW + (kw * g.DW);
        col[e] = ih >= 0 && ih < g.H && iw >= 0 && iw < g.W ? x[lx.At((((((n * g.C) + c) * g.H) + ih) * g.W) + iw)] : default;
    }

    /// <summary>input gradient [n, c, ih, iw] = Σ over the taps (kh, kw) whose window position reads (ih, iw) of col.</summary>
    public static void Col2Im<T, TM>(Index1D e, ArrayView<T> col, ArrayView<T> x, ImageGeometry g)
        where T : unmanaged
        where TM : struct, INumeric<T>
    {
        var num = default(TM);
        var iw = e % g.W;
        var rest = e / g.W;
        var ih = rest % g.H;
        rest /= g.H;
        var c = rest % g.C;
        var n = rest / g.C;
        var sum = num.Zero;
        for (var kh = 0; kh < g.KH; kh++)
        {
            var hs = ih + g.PH - (kh * g.DH);
            if (hs < 0 || hs % g.SH != 0 || hs / g.SH >= g.OH)
            {
                continue;
            }

            for (var kw = 0; kw < g.KW; kw++)
            {
                var ws = iw + g.PW - (kw * g.DW);
                if (ws < 0 || ws % g.SW != 0 || ws / g.SW >= g.OW)
                {
                    continue;
                }

                var p = (((c * g.KH) + kh) * g.KW) + kw;
                sum = num.Add(sum, col[(((n * g.Ckk) + p) * g.L) + ((hs / g.SH) * g.OW) + (ws / g.SW)]);
            }
        }

        x[e] = sum;
    }

    /// <summary>y[n, o, l] += bias[o] over a dense [N, O, L] output.</summary>
    public static void AddBias<T, TM>(Index1D e, ArrayView<T> y, ArrayView<T> bias, StridedLayout lb, int channels, int plane)
        where T : unmanaged
        where TM : struct, INumeric<T>
    {
        y[e] = default(TM).Add(y[e], bias[lb.At((e / plane) % channels)]);
    }

    /// <summary>
    /// Max over each window, in the CPU backend's scan order (rows, then columns; a value replaces the max when it is
    /// greater or NaN), and the flat position h·W + w of the max within its plane.
    /// </summary>
    public static void MaxPool<T, TM>(Index1D e, ArrayView<T> x, StridedLayout lx, ArrayView<T> values, ArrayView<long> indices, ImageGeometry g)
        where T : unmanaged
        where TM : struct, INumeric<T>
    {
        var num = default(TM);
        var ow = e % g.OW;
        var rest = e / g.OW;
        var oh = rest % g.OH;
        var plane = rest / g.OH;
        var hStart = (oh * g.SH) - g.PH;
        var hEnd = XMin(hStart + ((g.KH - 1) * g.DH) + 1, g.H);
        while (hStart < 0)
        {
            hStart += g.DH;
        }

        var wStart = (ow * g.SW) - g.PW;
        var wEnd = XMin(wStart + ((g.KW - 1) * g.DW) + 1, g.W);
        while (wStart < 0)
        {
            wStart += g.DW;
        }

        var planeBase = plane * g.H * g.W;
        var maxIndex = (hStart * g.W) + wStart;
        var max = num.Lowest;
        for (var ih = hStart; ih < hEnd; ih += g.DH)
        {
            for (var iw = wStart; iw < wEnd; iw += g.DW)
            {
                var v = x[lx.At(planeBase + (ih * g.W) + iw)];
                if (num.Less(max, v) || num.IsNaN(v))
                {
                    max = v;
                    maxIndex = (ih * g.W) + iw;
                }
            }
        }

        values[e] = max;
        indices[e] = maxIndex;
    }

    private static int XMin(int a, int b) => a < b ? a : b;
}
