using System.Numerics;

namespace DistGrad.Kernels.Cpu;

/// <summary>
/// Max pooling over each plane of [N, C, H, W], planes spread over cores for large inputs. The scan order
/// and the comparison are PyTorch's CPU kernel's: rows then columns, a value replaces the max when it is
/// greater or NaN, so the first max wins among ties and a NaN propagates.
/// </summary>
internal sealed partial class CpuKernels
{
    public (Tensor Values, Tensor Indices) MaxPool2d(Tensor input, Window2d window, int outH, int outW)
    {
        var shape = input.ShapeRef;
        var (n, c) = (shape[0], shape[1]);
        var values = NewTensor(input.DType, [n, c, outH, outW]);
        var indices = NewTensor(DType.Int64, [n, c, outH, outW]);
        var x = Dense(input);
        switch (input.DType)
        {
            case DType.Float32: MaxPoolPlanes<float>(x, values, indices, window, outH, outW); break;
            case DType.Float64: MaxPoolPlanes<double>(x, values, indices, window, outH, outW); break;
            default: throw new NotSupportedException($"\"max_pool2d\" not implemented for '{input.DType.TorchName()}'");
        }

        return (values, indices);
    }

    private static void MaxPoolPlanes<T>(Tensor input, Tensor values, Tensor indices, Window2d w, int outH, int outW)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var shape = input.ShapeRef;
        var (h, width) = (shape[2], shape[3]);
        var planes = shape[0] * shape[1];
        var (xd, xo) = (CpuStorage.Of<T>(input), input.Offset);
        var vd = CpuStorage.Of<T>(values);
        var id = CpuStorage.Of<long>(indices);
        var planeSize = h * width;
        var outPlane = outH * outW;

        void Plane(int p)
        {
            var x = xd.AsSpan(xo + (p * planeSize), planeSize);
            var v = vd.AsSpan(p * outPlane, outPlane);
            var idx = id.AsSpan(p * outPlane, outPlane);
            for (var oh = 0; oh < outH; oh++)
            {
                var hStart = (oh * w.StrideH) - w.PadH;
                var hEnd = Math.Min(hStart + ((w.KernelH - 1) * w.DilationH) + 1, h);
                while (hStart < 0)
                {
                    hStart += w.DilationH;
                }

                for (var ow = 0; ow < outW; ow++)
                {
                    var wStart = (ow * w.StrideW) - w.PadW;
                    var wEnd = Math.Min(wStart + ((w.KernelW - 1) * w.DilationW) + 1, width);
                    while (wStart < 0)
                    {
                        wStart += w.DilationW;
                    }

                    var maxIndex = (hStart * width) + wStart;
                    var max = T.NegativeInfinity;
                    for (var ih = hStart; ih < hEnd; ih += w.DilationH)
                    {
                        var row = ih * width;
                        for (var iw = wStart; iw < wEnd; iw += w.DilationW)
                        {
                            var value = x[row + iw];
                            if (value > max || T.IsNaN(value))
                            {
                                max = value;
                                maxIndex = row + iw;
                            }
                        }
                    }

                    v[(oh * outW) + ow] = max;
                    idx[(oh * outW) + ow] = maxIndex;
                }
            }
        }

        if ((long)planes * outPlane * w.KernelH * w.KernelW < ParallelFlopThreshold || planes == 1)
        {
            for (var p = 0; p < planes; p++)
            {
                Plane(p);
            }
        }
        else
        {
            CpuThreads.For(0, planes, Plane);
        }
    }
}
