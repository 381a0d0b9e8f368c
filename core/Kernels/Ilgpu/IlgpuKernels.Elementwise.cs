namespace DistGrad.Kernels.Ilgpu;

/// <summary>Elementwise kernels: one generic kernel per dtype and family, the op chosen by a field of the op struct.</summary>
internal sealed partial class IlgpuKernels
{
    public Tensor Unary(UnaryOp op, Tensor x, double a = 0, double b = 0)
    {
        if (op == UnaryOp.IsNan)
        {
            return x.DType switch
            {
                DType.Float32 => MapNew<float, byte, IsNaNOf<float, F32>>(x, DType.Bool, default),
                DType.Float64 => MapNew<double, byte, IsNaNOf<double, F64>>(x, DType.Bool, default),
                _ => (Tensor)Tensor.Zeros(x.Shape, DType.Bool, device: Device),
            };
        }

        var (hasA, hasB) = (double.IsNaN(a) ? 0 : 1, double.IsNaN(b) ? 0 : 1);
        switch (x.DType)
        {
            case DType.Float32 when op != UnaryOp.Not:
                return MapNew<float, float, FloatUnary<float, F32>>(x, DType.Float32, new() { Op = (int)op, A = (float)a, B = (float)b, HasA = hasA, HasB = hasB });
            case DType.Float64 when op != UnaryOp.Not:
                return MapNew<double, double, FloatUnary<double, F64>>(x, DType.Float64, new() { Op = (int)op, A = a, B = b, HasA = hasA, HasB = hasB });
            case DType.Int64 when op is UnaryOp.Neg or UnaryOp.Abs or UnaryOp.Sign or UnaryOp.Relu or UnaryOp.Clamp:
                return MapNew<long, long, LongUnary>(x, DType.Int64, new() { Op = (int)op, A = hasA == 1 ? (long)a : 0, B = hasB == 1 ? (long)b : 0, HasA = hasA, HasB = hasB });
            case DType.Bool when op == UnaryOp.Not:
                return MapNew<byte, byte, LogicalNot>(x, DType.Bool, default);
            default:
                throw new NotSupportedException($"{op} is not defined for {x.DType.TorchName()} tensors");
        }
    }

    public Tensor Binary(BinaryOp op, Tensor a, Tensor b)
    {
        if (a.DType != b.DType || !Shapes.SameShape(a.ShapeRef, b.ShapeRef))
        {
            throw new ArgumentException($"binary kernel needs one dtype and shape, got {a.DType}{Shapes.Format(a.ShapeRef)} and {b.DType}{Shapes.Format(b.ShapeRef)}");
        }

        if (op.GivesBool())
        {
            return a.DType switch
            {
                DType.Float32 => Zip<float, byte, Comparison<float, F32>>(a, b, DType.Bool, new() { Op = (int)op }),
                DType.Float64 => Zip<double, byte, Comparison<double, F64>>(a, b, DType.Bool, new() { Op = (int)op }),
                DType.Int64 => Zip<long, byte, Comparison<long, I64>>(a, b, DType.Bool, new() { Op = (int)op }),
                _ => Zip<byte, byte, Comparison<byte, U8>>(a, b, DType.Bool, new() { Op = (int)op }),
            };
        }

        return a.DType switch
        {
            DType.Float32 => Zip<float, float, Arithmetic<float, F32>>(a, b, DType.Float32, new() { Op = (int)op }),
            DType.Float64 => Zip<double, double, Arithmetic<double, F64>>(a, b, DType.Float64, new() { Op = (int)op }),
            DType.Int64 => Zip<long, long, Arithmetic<long, I64>>(a, b, DType.Int64, new() { Op = (int)op }),
            _ => throw new NotSupportedException($"{op} is not defined for torch.bool tensors"),
        };
    }

    private Tensor Zip<T, TOut, TOp>(Tensor a, Tensor b, DType dtype, TOp op)
        where T : unmanaged
        where TOut : unmanaged
        where TOp : struct, IZip<T, T, TOut>
    {
        var result = NewTensor(dtype, a.Shape);
        _launch.Launch(result.Numel, ElementKernels.Zip<T, T, TOut, TOp>, View<T>(a), Layout(a), View<T>(b), Layout(b), View<TOut>(result), op);
        return result;
    }
}
