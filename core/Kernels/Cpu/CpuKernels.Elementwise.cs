using System.Numerics;
using System.Numerics.Tensors;

namespace DistGrad.Kernels.Cpu;

/// <summary>Elementwise kernels: each row of the (coalesced) operands goes through one SIMD primitive.</summary>
internal sealed partial class CpuKernels
{
    public Tensor Unary(UnaryOp op, Tensor x, double a = 0, double b = 0)
    {
        if (op == UnaryOp.IsNan)
        {
            return x.DType switch
            {
                DType.Float32 => MapNew<float, bool>(x, DType.Bool, float.IsNaN),
                DType.Float64 => MapNew<double, bool>(x, DType.Bool, double.IsNaN),
                _ => NewTensor(DType.Bool, x.Shape),
            };
        }

        return x.DType switch
        {
            DType.Float32 => UnaryFloat<float>(op, x, float.CreateTruncating(a), float.CreateTruncating(b)),
            DType.Float64 => UnaryFloat(op, x, a, b),
            DType.Int64 => UnaryInteger(op, x, (long)a, (long)b, double.IsNaN(a), double.IsNaN(b)),
            _ when op == UnaryOp.Not => MapNew<bool, bool>(x, DType.Bool, v => !v),
            _ => throw new NotSupportedException($"{op} is not defined for {x.DType.TorchName()} tensors"),
        };
    }

    private static Tensor MapNew<TSrc, TDst>(Tensor x, DType dtype, Func<TSrc, TDst> f)
    {
        var result = NewTensor(dtype, x.Shape);
        Map(x, result, f);
        return result;
    }

    private static Tensor UnaryFloat<T>(UnaryOp op, Tensor x, T a, T b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = NewTensorForOverwrite<T>(x.DType, x.ShapeRef);
        var src = CpuStorage.Of<T>(x);
        var dst = CpuStorage.Of<T>(result);
        var costly = op is UnaryOp.Exp or UnaryOp.Log or UnaryOp.Tanh or UnaryOp.Sigmoid or UnaryOp.PowScalar;
        if (x.IsContiguous && x.Numel < (costly ? ParallelCostlyThreshold : ParallelCheapThreshold))
        {
            // One contiguous run on one thread (every small op of a training step): no cursor, no segments.
            UnaryRow(op, src.AsSpan(x.Offset, x.Numel), a, b, dst.AsSpan(0, x.Numel));
            return result;
        }

        var first = Cursor(x);
        var stride = first.InnerStrides[0];
        ForEachSegment(first, () => Cursor(x), (offsets, o, n) =>
        {
            var row = RowCursor.Read(src, offsets[0], stride, n, ref RowScratch<T>.First);
            UnaryRow(op, row, a, b, dst.AsSpan(o, n));
        },
        costly);
        return result;
    }

    private static void UnaryRow<T>(UnaryOp op, ReadOnlySpan<T> row, T a, T b, Span<T> output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (op)
        {
            case UnaryOp.Neg: TensorPrimitives.Negate(row, output); break;
            case UnaryOp.Exp: ApplyEach<T, ExpFunction<T>>(row, output); break;
            case UnaryOp.Log: ApplyEach<T, LogFunction<T>>(row, output); break;
            case UnaryOp.Sqrt: TensorPrimitives.Sqrt(row, output); break;
            case UnaryOp.Abs: TensorPrimitives.Abs(row, output); break;
            case UnaryOp.Tanh: ApplyEach<T, TanhFunction<T>>(row, output); break;
            case UnaryOp.Sigmoid: ApplyEach<T, SigmoidFunction<T>>(row, output); break;
            case UnaryOp.Relu: Relu(row, output); break;
            case UnaryOp.Sign: Sign(row, output); break;
            case UnaryOp.Reciprocal: TensorPrimitives.Divide(T.One, row, output); break;
            case UnaryOp.PowScalar: PowScalar(row, a, output); break;
            case UnaryOp.Clamp: Clamp(row, a, b, output); break;
            default: throw new NotSupportedException($"{op} is not a unary op of floating tensors");
        }
    }

    // Transcendentals go through the C runtime's correctly rounded scalar functions: TensorPrimitives'
    // vector approximations are off by an ulp at exact points (exp(0) = 1.0000001, tanh(0) = -6e-8),
    // which PyTorch's are not. The function is a type parameter, so each loop is compiled for it.
    private static void ApplyEach<T, TFunction>(ReadOnlySpan<T> x, Span<T> output)
        where TFunction : IScalarFunction<T>
    {
        for (var i = 0; i < x.Length; i++)
        {
            output[i] = TFunction.Apply(x[i]);
        }
    }

    private interface IScalarFunction<T>
    {
        static abstract T Apply(T x);
    }

    private readonly struct ExpFunction<T> : IScalarFunction<T>
        where T : IFloatingPointIeee754<T>
    {
        public static T Apply(T x) => T.Exp(x);
    }

    private readonly struct LogFunction<T> : IScalarFunction<T>
        where T : IFloatingPointIeee754<T>
    {
        public static T Apply(T x) => T.Log(x);
    }

    private readonly struct TanhFunction<T> : IScalarFunction<T>
        where T : IFloatingPointIeee754<T>
    {
        public static T Apply(T x) => T.Tanh(x);
    }

    private readonly struct SigmoidFunction<T> : IScalarFunction<T>
        where T : IFloatingPointIeee754<T>
    {
        public static T Apply(T x) => T.One / (T.One + T.Exp(-x));
    }

    // PyTorch's relu keeps NaN and maps -0 to 0. IEEE maximum does both (NaN propagates, and -0 < +0), and
    // TensorPrimitives.Max is that maximum, in SIMD.
    private static void Relu<T>(ReadOnlySpan<T> x, Span<T> output)
        where T : IFloatingPointIeee754<T> => TensorPrimitives.Max(x, T.Zero, output);

    private static void Sign<T>(ReadOnlySpan<T> x, Span<T> output)
        where T : INumber<T>
    {
        for (var i = 0; i < x.Length; i++)
        {
            output[i] = x[i] > T.Zero ? T.One : x[i] < T.Zero ? -T.One : x[i] - x[i];
        }
    }

    private static void PowScalar<T>(ReadOnlySpan<T> x, T exponent, Span<T> output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (exponent == T.CreateTruncating(2))
        {
            TensorPrimitives.Multiply(x, x, output);
        }
        else if (exponent == T.One)
        {
            x.CopyTo(output);
        }
        else
        {
            TensorPrimitives.Pow(x, exponent, output);
        }
    }

    // NaN bounds mean "no bound"; a NaN element stays NaN, as in PyTorch.
    private static void Clamp<T>(ReadOnlySpan<T> x, T min, T max, Span<T> output)
        where T : IFloatingPointIeee754<T>
    {
        var hasMin = !T.IsNaN(min);
        var hasMax = !T.IsNaN(max);
        for (var i = 0; i < x.Length; i++)
        {
            var v = x[i];
            if (hasMin && v < min)
            {
                v = min;
            }

            if (hasMax && v > max)
            {
                v = max;
            }

            output[i] = v;
        }
    }

    private static Tensor UnaryInteger(UnaryOp op, Tensor x, long a, long b, bool noMin, bool noMax) => op switch
    {
        UnaryOp.Neg => MapNew<long, long>(x, DType.Int64, v => -v),
        UnaryOp.Abs => MapNew<long, long>(x, DType.Int64, Math.Abs),
        UnaryOp.Sign => MapNew<long, long>(x, DType.Int64, v => Math.Sign(v)),
        UnaryOp.Relu => MapNew<long, long>(x, DType.Int64, v => Math.Max(v, 0)),
        UnaryOp.Clamp => MapNew<long, long>(x, DType.Int64, v => Math.Min(noMax ? long.MaxValue : b, Math.Max(noMin ? long.MinValue : a, v))),
        _ => throw new NotSupportedException($"{op} is not defined for torch.int64 tensors"),
    };

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
                DType.Float32 => Compare<float>(op, a, b),
                DType.Float64 => Compare<double>(op, a, b),
                DType.Int64 => Compare<long>(op, a, b),
                _ => CompareBool(op, a, b),
            };
        }

        return a.DType switch
        {
            DType.Float32 => Arithmetic<float>(op, a, b),
            DType.Float64 => Arithmetic<double>(op, a, b),
            DType.Int64 => Arithmetic<long>(op, a, b),
            _ => throw new NotSupportedException($"{op} is not defined for torch.bool tensors"),
        };
    }

    private static Tensor Arithmetic<T>(BinaryOp op, Tensor a, Tensor b)
        where T : unmanaged, INumber<T>
    {
        var result = NewTensorForOverwrite<T>(a.DType, a.ShapeRef);
        var x = CpuStorage.Of<T>(a);
        var y = CpuStorage.Of<T>(b);
        var dst = CpuStorage.Of<T>(result);
        var n = a.Numel;
        if (n < (op == BinaryOp.Pow ? ParallelCostlyThreshold : ParallelCheapThreshold) && a.IsContiguous)
        {
            // Contiguous operands on one thread, the common case of small ops: no cursor, no segments, no scratch.
            if (b.IsContiguous)
            {
                ArithmeticRow(op, x.AsSpan(a.Offset, n), y.AsSpan(b.Offset, n), dst.AsSpan(0, n));
                return result;
            }

            if (IsOneValue(b) && ArithmeticRowScalar(op, x.AsSpan(a.Offset, n), y[b.Offset], dst.AsSpan(0, n)))
            {
                return result;
            }
        }

        var first = Cursor(a, b);
        var (sa, sb) = (first.InnerStrides[0], first.InnerStrides[1]);
        ForEachSegment(first, () => Cursor(a, b), (offsets, o, n) =>
        {
            var output = dst.AsSpan(o, n);

            // A row broadcast along itself ([N, 1] against [N, C]) is one scalar: no gathered copy.
            if (sb == 0 && sa == 1 && ArithmeticRowScalar(op, x.AsSpan(offsets[0], n), y[offsets[1]], output))
            {
                return;
            }

            var ra = RowCursor.Read(x, offsets[0], sa, n, ref RowScratch<T>.First);
            var rb = RowCursor.Read(y, offsets[1], sb, n, ref RowScratch<T>.Second);
            ArithmeticRow(op, ra, rb, output);
        },
        costly: op == BinaryOp.Pow);
        return result;
    }

    /// <summary>Whether every element of the view is the same memory cell (a scalar broadcast: all strides 0).</summary>
    private static bool IsOneValue(Tensor t)
    {
        foreach (var stride in t.StridesRef)
        {
            if (stride != 0)
            {
                return false;
            }
        }

        return true;
    }

    private static void ArithmeticRow<T>(BinaryOp op, ReadOnlySpan<T> ra, ReadOnlySpan<T> rb, Span<T> output)
        where T : unmanaged, INumber<T>
    {
        switch (op)
        {
            case BinaryOp.Add: TensorPrimitives.Add(ra, rb, output); break;
            case BinaryOp.Sub: TensorPrimitives.Subtract(ra, rb, output); break;
            case BinaryOp.Mul: TensorPrimitives.Multiply(ra, rb, output); break;
            case BinaryOp.Div: TensorPrimitives.Divide(ra, rb, output); break;
            case BinaryOp.Maximum: TensorPrimitives.Max(ra, rb, output); break;
            case BinaryOp.Minimum: TensorPrimitives.Min(ra, rb, output); break;
            case BinaryOp.Pow: Pow(ra, rb, output); break;
            default: throw new NotSupportedException($"{op} is not an arithmetic op");
        }
    }

    /// <summary>The op of a row and one scalar, where a TensorPrimitives overload takes one; false where none does.</summary>
    private static bool ArithmeticRowScalar<T>(BinaryOp op, ReadOnlySpan<T> row, T scalar, Span<T> output)
        where T : unmanaged, INumber<T>
    {
        switch (op)
        {
            case BinaryOp.Add: TensorPrimitives.Add(row, scalar, output); return true;
            case BinaryOp.Sub: TensorPrimitives.Subtract(row, scalar, output); return true;
            case BinaryOp.Mul: TensorPrimitives.Multiply(row, scalar, output); return true;
            case BinaryOp.Div: TensorPrimitives.Divide(row, scalar, output); return true;
            default: return false;
        }
    }

    private static void Pow<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> output)
        where T : INumber<T>
    {
        for (var i = 0; i < x.Length; i++)
        {
            output[i] = T.CreateTruncating(Math.Pow(double.CreateTruncating(x[i]), double.CreateTruncating(y[i])));
        }
    }

    private static Tensor Compare<T>(BinaryOp op, Tensor a, Tensor b)
        where T : INumber<T>
    {
        var result = NewTensor(DType.Bool, a.Shape);
        var x = CpuStorage.Of<T>(a);
        var y = CpuStorage.Of<T>(b);
        var dst = CpuStorage.Of<bool>(result);
        var cursor = Cursor(a, b);
        var n = cursor.RowLength;
        var (sa, sb) = (cursor.InnerStrides[0], cursor.InnerStrides[1]);
        var o = 0;
        for (var r = 0; r < cursor.Rows; r++)
        {
            var (oa, ob) = (cursor.Offsets[0], cursor.Offsets[1]);
            for (var i = 0; i < n; i++)
            {
                var (u, v) = (x[oa + (i * sa)], y[ob + (i * sb)]);
                dst[o + i] = op switch
                {
                    BinaryOp.Eq => u == v,
                    BinaryOp.Ne => u != v,
                    BinaryOp.Lt => u < v,
                    BinaryOp.Le => u <= v,
                    BinaryOp.Gt => u > v,
                    BinaryOp.Ge => u >= v,
                    BinaryOp.And => u != T.Zero && v != T.Zero,
                    _ => u != T.Zero || v != T.Zero,
                };
            }

            o += n;
            cursor.Advance();
        }

        return result;
    }

    // Bools compare as 0/1 (False < True), as in PyTorch.
    private static Tensor CompareBool(BinaryOp op, Tensor a, Tensor b) => Compare<long>(op, AsInt64(a), AsInt64(b));

    private static Tensor AsInt64(Tensor t)
    {
        var result = NewTensor(DType.Int64, t.Shape);
        Instance.Copy(t, result);
        return result;
    }
}
