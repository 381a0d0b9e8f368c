using DistGrad.Kernels;

namespace DistGrad;

/// <summary>
/// 2-D max pooling (PyTorch's max_pool2d). The forward remembers where each max came from; the backward
/// adds each output gradient at that position (scatter-add into zeros), and the backward of that is a
/// gather of the same positions, so derivatives of every order exist.
/// </summary>
public sealed partial class Tensor
{
    /// <summary>
    /// The max of each kernelSize × kernelSize window of [N, C, H, W] (or [C, H, W]), moving by
    /// <paramref name="stride"/> (default: kernelSize), over input padded with -inf. The gradient goes to the
    /// position of each max (the first one among equal values, as PyTorch's CPU kernel).
    /// </summary>
    public Tensor MaxPool2d(int kernelSize, int? stride = null, int padding = 0, int dilation = 1, bool ceilMode = false) =>
        MaxPool2dWithIndices(kernelSize, stride, padding, dilation, ceilMode).Values;

    /// <summary><see cref="MaxPool2d(int, int?, int, int, bool)"/> with separate (height, width) sizes.</summary>
    public Tensor MaxPool2d((int H, int W) kernelSize, (int H, int W)? stride = null, (int H, int W) padding = default, (int H, int W)? dilation = null, bool ceilMode = false) =>
        MaxPool2dWithIndices(kernelSize, stride, padding, dilation, ceilMode).Values;

    /// <summary>Max pooling that also returns, for each output, the flat position h·W + w of its max within its plane (Int64).</summary>
    public (Tensor Values, Tensor Indices) MaxPool2dWithIndices(int kernelSize, int? stride = null, int padding = 0, int dilation = 1, bool ceilMode = false) =>
        MaxPool2dWithIndices((kernelSize, kernelSize), stride is { } s ? (s, s) : null, (padding, padding), (dilation, dilation), ceilMode);

    /// <summary><see cref="MaxPool2dWithIndices(int, int?, int, int, bool)"/> with separate (height, width) sizes.</summary>
    public (Tensor Values, Tensor Indices) MaxPool2dWithIndices(
        (int H, int W) kernelSize, (int H, int W)? stride = null, (int H, int W) padding = default, (int H, int W)? dilation = null, bool ceilMode = false)
    {
        var k = kernelSize;
        var s = stride ?? kernelSize;
        var d = dilation ?? (1, 1);
        CheckPoolArguments(k, s, padding, d);
        if (Dim is not (3 or 4))
        {
            throw new ArgumentException("non-empty 3D or 4D (batch mode) tensor expected for input");
        }

        var batched = Dim == 4;
        var (n, c, h, w) = batched ? (_shape[0], _shape[1], _shape[2], _shape[3]) : (1, _shape[0], _shape[1], _shape[2]);
        if (c == 0 || h == 0 || w == 0)
        {
            throw new ArgumentException($"Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got:{Shapes.Format(_shape)}");
        }

        if (!DType.IsFloating())
        {
            throw new NotSupportedException($"\"max_pool2d\" not implemented for '{ScalarTypeName(DType)}'");
        }

        var window = new Window2d(k.H, k.W, s.H, s.W, padding.H, padding.W, d.H, d.W);
        var outH = PooledSize(h, k.H, padding.H, s.H, d.H, ceilMode);
        var outW = PooledSize(w, k.W, padding.W, s.W, d.W, ceilMode);
        if (outH < 1 || outW < 1)
        {
            throw new ArgumentException($"Given input size: ({c}x{h}x{w}). Calculated output size: ({c}x{outH}x{outW}). Output size is too small");
        }

        var planes = Detach().Reshape(n, c, h, w);
        var (values, indices) = Kernels.MaxPool2d(planes, window, outH, outW);
        int[] outShape = batched ? [n, c, outH, outW] : [c, outH, outW];
        values = new Tensor(values.Storage, outShape);
        indices = new Tensor(indices.Storage, outShape);
        var result = Graph.Record("MaxPool2DWithIndicesBackward0", values, [this], [indices], static (node, g) =>
            [MaxPoolBackward(g, node.Saved(0), node.InputShape(0))]);
        return (result, indices);
    }

    /// <summary>Each output gradient added at the input position its max came from (zeros elsewhere).</summary>
    private static Tensor MaxPoolBackward(Tensor grad, Tensor indices, int[] inputShape)
    {
        var (h, w) = (inputShape[^2], inputShape[^1]);
        var planes = Shapes.Numel(inputShape) / (h * w);
        var outPlane = grad.ShapeRef[^2] * grad.ShapeRef[^1];
        var flatIndices = indices.Reshape(planes, outPlane);
        var result = Zeros([planes, h * w], grad.DType, device: grad.Device);
        result.Kernels.ScatterAdd(result, 1, flatIndices, grad.Detach().Reshape(planes, outPlane));
        result = new Tensor(result.Storage, (int[])inputShape.Clone());
        return Graph.Record("MaxPool2DWithIndicesBackwardBackward0", result, [grad], [flatIndices], static (n, gg) =>
        {
            var idx = n.Saved(0);
            return [gg.Reshape(idx.ShapeRef[0], gg.ShapeRef[^2] * gg.ShapeRef[^1]).Gather(1, idx).Reshape(n.InputShape(0))];
        });
    }

    private static void CheckPoolArguments((int H, int W) k, (int H, int W) s, (int H, int W) p, (int H, int W) d)
    {
        if (k.H <= 0 || k.W <= 0)
        {
            throw new ArgumentException($"kernel size should be greater than zero, but got kH: {k.H} kW: {k.W}");
        }

        if (s.H == 0 || s.W == 0)
        {
            throw new ArgumentException("stride should not be zero");
        }

        if (s.H < 0 || s.W < 0)
        {
            throw new ArgumentException($"stride should be greater than zero, but got dH: {s.H} dW: {s.W}");
        }

        if (p.H < 0 || p.W < 0)
        {
            throw new ArgumentException($"pad must be non-negative, but got pad: {Math.Min(p.H, p.W)}");
        }

        if (p.H > k.H / 2 || p.W > k.W / 2)
        {
            var (pad, kernel) = p.H > k.H / 2 ? (p.H, k.H) : (p.W, k.W);
            throw new ArgumentException($"pad should be at most half of kernel size, but got pad={pad} and kernel_size={kernel}");
        }

        if (d.H <= 0 || d.W <= 0)
        {
            throw new ArgumentException($"dilation should be greater than zero, but got dilationH: {d.H} dilationW: {d.W}");
        }
    }

    /// <summary>PyTorch's pooling_output_shape: floor (or ceil) division, and a ceil-mode window must start inside the input or left padding.</summary>
    private static int PooledSize(int size, int kernel, int pad, int stride, int dilation, bool ceilMode)
    {
        var numerator = size + (2 * pad) - (dilation * (kernel - 1)) - 1 + (ceilMode ? stride - 1 : 0);
        var output = (int)Math.Floor(numerator / (double)stride) + 1;
        if (ceilMode && (output - 1) * stride >= size + pad)
        {
            output--;
        }

        return output;
    }

    /// <summary>PyTorch's C++ scalar-type name ("Float", "Double", "Long", "Bool") used in kernel messages.</summary>
    private static string ScalarTypeName(DType dtype) => dtype switch
    {
        DType.Float32 => "Float",
        DType.Float64 => "Double",
        DType.Int64 => "Long",
        _ => "Bool",
    };
}
