using DistGrad.Kernels;

namespace DistGrad;

/// <summary>
/// 2-D convolution (PyTorch's conv2d, groups = 1) and its derivatives. With y = conv(x, w) + b, the three
/// maps y ← (x, w), dx ← (dy, w) and dw ← (x, dy) are the same trilinear form Σ dy·w·x read three ways,
/// so each one's backward is made of the other two: derivatives of any order stay convolutions.
/// </summary>
public sealed partial class Tensor
{
    /// <summary>
    /// Cross-correlates input [N, C, H, W] (or unbatched [C, H, W]) with weight [O, C, kH, kW] and adds
    /// bias [O]: out[n, o, i, j] = b[o] + Σ x[n, c, i·s − p + kh·d, j·s − p + kw·d]·w[o, c, kh, kw], with zero
    /// padding. Output [N, O, OH, OW], OH = ⌊(H + 2p − d(kH − 1) − 1)/s⌋ + 1.
    /// </summary>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0, int dilation = 1) =>
        Conv2d(input, weight, bias, (stride, stride), (padding, padding), (dilation, dilation));

    /// <summary><see cref="Conv2d(Tensor, Tensor, Tensor?, int, int, int)"/> with separate (height, width) stride, padding and dilation.</summary>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias, (int H, int W) stride, (int H, int W) padding, (int H, int W)? dilation = null)
    {
        var d = dilation ?? (1, 1);
        if (input.Dim is not (3 or 4))
        {
            throw new ArgumentException($"Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: {Shapes.Format(input._shape)}");
        }

        if (weight.Dim != 4)
        {
            throw new ArgumentException($"conv2d expects a 4-D weight [out_channels, in_channels, kH, kW], but got weight of size {Shapes.Format(weight._shape)}");
        }

        if (stride.H <= 0 || stride.W <= 0)
        {
            throw new ArgumentException("non-positive stride is not supported");
        }

        if (padding.H < 0 || padding.W < 0)
        {
            throw new ArgumentException("negative padding is not supported");
        }

        if (d.H <= 0 || d.W <= 0)
        {
            throw new ArgumentException("non-positive dilation is not supported");
        }

        if (input.DType != weight.DType)
        {
            throw new ArgumentException($"Input type ({input.DType.TorchName()}) and weight type ({weight.DType.TorchName()}) should be the same");
        }

        if (bias != null && bias.DType != input.DType)
        {
            throw new ArgumentException($"Input type ({input.DType.TorchName()}) and bias type ({bias.DType.TorchName()}) should be the same");
        }

        if (input.DType == DType.Bool)
        {
            throw new NotSupportedException("conv2d is not defined for torch.bool tensors");
        }

        if (input.Dim == 3)
        {
            return Conv2d(input.Unsqueeze(0), weight, bias, stride, padding, dilation).Squeeze(0);
        }

        var (x, w) = (input._shape, weight._shape);
        if (x[1] != w[1])
        {
            throw new ArgumentException(
                $"Given groups=1, weight of size {Shapes.Format(w)}, expected input{Shapes.Format(x)} to have {w[1]} channels, but got {x[1]} channels instead");
        }

        if (bias != null && (bias.Dim != 1 || bias._shape[0] != w[0]))
        {
            throw new ArgumentException(
                $"Given weight of size {Shapes.Format(w)}, expected bias to be 1-dimensional with {w[0]} elements, but got bias of size {Shapes.Format(bias._shape)} instead");
        }

        var window = new Window2d(w[2], w[3], stride.H, stride.W, padding.H, padding.W, d.H, d.W);
        var (paddedH, paddedW) = (x[2] + (2 * padding.H), x[3] + (2 * padding.W));
        if (paddedH < window.EffectiveKernelH || paddedW < window.EffectiveKernelW)
        {
            throw new ArgumentException(
                $"Calculated padded input size per channel: ({paddedH} x {paddedW}). Kernel size: ({window.EffectiveKernelH} x {window.EffectiveKernelW}). Kernel size can't be greater than actual input size");
        }

        return Convolution(input, weight, bias, window);
    }

    /// <summary>The recorded convolution of checked operands; its node is PyTorch's ConvolutionBackward0.</summary>
    private static Tensor Convolution(Tensor input, Tensor weight, Tensor? bias, Window2d window)
    {
        var output = input.Kernels.Conv2d(input, weight, bias, window);
        var hasBias = bias != null;
        Tensor[] inputs = hasBias ? [input, weight, bias!] : [input, weight];
        return Graph.Record("ConvolutionBackward0", output, inputs, [weight.RequiresGrad ? input : null, input.RequiresGrad ? weight : null], (n, g) =>
        {
            var gx = n.NeedsInputGrad(0) ? ConvolutionInputGrad(g, n.Saved(1), n.InputShape(0), window) : null;
            var gw = n.NeedsInputGrad(1) ? ConvolutionWeightGrad(n.Saved(0), g, n.InputShape(1), window) : null;
            return hasBias ? [gx, gw, n.NeedsInputGrad(2) ? g.Sum([0, 2, 3]) : null] : [gx, gw];
        });
    }

    /// <summary>dx = the transposed convolution of dy with w (col2im of wᵀ·dy), of the input's shape.</summary>
    private static Tensor ConvolutionInputGrad(Tensor grad, Tensor weight, int[] inputShape, Window2d window)
    {
        var result = grad.Kernels.Conv2dInputGrad(grad, weight, inputShape, window);
        return Graph.Record("ConvolutionBackwardBackward0", result, [grad, weight], [weight.RequiresGrad ? grad : null, grad.RequiresGrad ? weight : null], (n, h) =>
        [
            n.NeedsInputGrad(0) ? Convolution(h, n.Saved(1), null, window) : null,
            n.NeedsInputGrad(1) ? ConvolutionWeightGrad(h, n.Saved(0), n.InputShape(1), window) : null,
        ]);
    }

    /// <summary>dw[o, c, kh, kw] = Σ dy[n, o, i, j]·x[n, c, i·s − p + kh·d, j·s − p + kw·d], of the weight's shape.</summary>
    private static Tensor ConvolutionWeightGrad(Tensor input, Tensor grad, int[] weightShape, Window2d window)
    {
        var result = grad.Kernels.Conv2dWeightGrad(input, grad, weightShape, window);
        return Graph.Record("ConvolutionBackwardBackward0", result, [input, grad], [grad.RequiresGrad ? input : null, input.RequiresGrad ? grad : null], (n, h) =>
        [
            n.NeedsInputGrad(0) ? ConvolutionInputGrad(n.Saved(1), h, n.InputShape(0), window) : null,
            n.NeedsInputGrad(1) ? Convolution(n.Saved(0), h, null, window) : null,
        ]);
    }
}
