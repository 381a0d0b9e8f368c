using ILGPU;

namespace DistGrad.Kernels.Ilgpu;

/// <summary>
/// 2-D convolution as im2col + the batched GEMM over the whole batch at once: forward is weight [O, C·kH·kW]
/// (broadcast over the batch) × col [N, C·kH·kW, L]; the input gradient is weightᵀ × grad folded back by col2im;
/// the weight gradient is grad × colᵀ per sample, summed over the batch by the reduction kernel.
/// </summary>
internal sealed partial class IlgpuKernels
{
    public Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias, Window2d window)
    {
        var g = Geometry(input.ShapeRef, window);
        var o = weight.ShapeRef[0];
        var w = Dense(weight);
        var col = Im2Col(input, g);
        var result = NewTensor(input.DType, [g.N, o, g.OH, g.OW]);
        var lw = new MatrixLayout { Offset = w.Offset, Batch = 0, Row = g.Ckk, Col = 1 };
        var lc = new MatrixLayout { Offset = 0, Batch = g.Ckk * g.L, Row = g.L, Col = 1 };
        ByDType(
            input.DType,
            () => ConvForward<float, F32>(w, col, lw, lc, bias, result, g, o),
            () => ConvForward<double, F64>(w, col, lw, lc, bias, result, g, o),
            () => ConvForward<long, I64>(w, col, lw, lc, bias, result, g, o),
            null,
            "conv2d");
        return result;
    }

    private void ConvForward<T, TM>(Tensor w, Tensor col, MatrixLayout lw, MatrixLayout lc, Tensor? bias, Tensor result, ImageGeometry g, int o)
        where T : unmanaged
        where TM : struct, INumeric<T>
    {
        Gemm<T, TM>(View<T>(w), lw, View<T>(col), lc, View<T>(result), g.N, o, g.L, g.Ckk);
        if (bias != null)
        {
            _launch.Launch(result.Numel, ImageKernels.AddBias<T, TM>, View<T>(result), View<T>(bias), Layout(bias), o, g.L);
        }
    }

    public Tensor Conv2dInputGrad(Tensor grad, Tensor weight, int[] inputShape, Window2d window)
    {
        var g = Geometry(inputShape, window);
        var o = weight.ShapeRef[0];
        CheckGradShape(grad, g, o);
        var w = Dense(weight);
        var lg = GradMatrix(ref grad);
        var colGrad = NewTensor(grad.DType, [g.N, g.Ckk, g.L]);
        var result = NewTensor(grad.DType, inputShape);
        var lwt = new MatrixLayout { Offset = w.Offset, Batch = 0, Row = 1, Col = g.Ckk };
        ByDType(
            grad.DType,
            () => ConvInputGrad<float, F32>(w, lwt, grad, lg, colGrad, result, g, o),
            () => ConvInputGrad<double, F64>(w, lwt, grad, lg, colGrad, result, g, o),
            () => ConvInputGrad<long, I64>(w, lwt, grad, lg, colGrad, result, g, o),
            null,
            "conv2d");
        return result;
    }

    private void ConvInputGrad<T, TM>(Tensor w, MatrixLayout lwt, Tensor grad, MatrixLayout lg, Tensor colGrad, Tensor result, ImageGeometry g, int o)
        where T : unmanaged
        where TM : struct, INumeric<T>
    {
        Gemm<T, TM>(View<T>(w), lwt, View<T>(grad), lg, View<T>(colGrad), g.N, g.Ckk, g.L, o);
        _launch.Launch(result.Numel, ImageKernels.Col2Im<T, TM>, View<T>(colGrad), View<T>(result), g);
    }

    public Tensor Conv2dWeightGrad(Tensor input, Tensor grad, int[] weightShape, Window2d window)
    {
        var g = Geometry(input.ShapeRef, window);
        var o = weightShape[0];
        CheckGradShape(grad, g, o);
        var lg = GradMatrix(ref grad);
        var col = Im2Col(input, g);
        var perSample = NewTensor(grad.DType, [g.N, o, g.Ckk]);
        var lct = new MatrixLayout { Offset = 0, Batch = g.Ckk * g.L, Row = 1, Col = g.L };
        ByDType(
            grad.DType,
            () => Gemm<float, F32>(View<float>(grad), lg, View<float>(col), lct, View<float>(perSample), g.N, o, g.Ckk, g.L),
            () => Gemm<double, F64>(View<double>(grad), lg, View<double>(col), lct, View<double>(perSample), g.N, o, g.Ckk, g.L),
            () => Gemm<long, I64>(View<long>(grad), lg, View<long>(col), lct, View<long>(perSample), g.N, o, g.Ckk, g.L),
            null,
            "conv2d");
        var summed = Reduce(ReduceOp.Sum, perSample, [0]);
        return new Tensor(summed.Storage, (int[])weightShape.Clone());
    }

    private Tensor Im2Col(Tensor input, ImageGeometry g)
    {
        var col = NewTensor(input.DType, [g.N, g.Ckk, g.L]);
        var lx = Layout(input);
        ByDType(
            input.DType,
            () => _launch.Launch(col.Numel, ImageKernels.Im2Col, View<float>(input), lx, View<float>(col), g),
            () => _launch.Launch(col.Numel, ImageKernels.Im2Col, View<double>(input), lx, View<double>(col), g),
            () => _launch.Launch(col.Numel, ImageKernels.Im2Col, View<long>(input), lx, View<long>(col), g),
            null,
            "conv2d");
        return col;
    }

    /// <summary>grad [N, O, OH, OW] as a batch of [O, OH·OW] matrices (made dense first when OH and OW do not merge).</summary>
    private MatrixLayout GradMatrix(ref Tensor grad)
    {
        var s = grad.StridesRef;
        if (grad.ShapeRef[2] > 1 && s[2] != s[3] * grad.ShapeRef[3])
        {
            grad = Dense(grad);
            s = grad.StridesRef;
        }

        return new MatrixLayout { Offset = grad.Offset, Batch = s[0], Row = s[1], Col = s[3] };
    }

    private static ImageGeometry Geometry(int[] inputShape, Window2d window) =>
        ImageGeometry.Of(inputShape, window, window.OutH(inputShape[2]), window.OutW(inputShape[3])) with { };

    private static void CheckGradShape(Tensor grad, ImageGeometry g, int o)
    {
        var s = grad.ShapeRef;
        if (s.Length != 4 || s[0] != g.N || s[1] != o || s[2] != g.OH || s[3] != g.OW)
        {
            throw new ArgumentException($"conv2d gradient of shape {Shapes.Format(s)} does not match the output shape {Shapes.Format([g.N, o, g.OH, g.OW])}");
        }
    }
}
