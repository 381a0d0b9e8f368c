namespace DistGrad.Kernels.Ilgpu;

/// <summary>A function of one element, applied by <see cref="ElementKernels.Map{TIn, TOut, TOp}"/>.</summary>
internal interface IMap<TIn, TOut>
    where TIn : unmanaged
    where TOut : unmanaged
{
    TOut Apply(TIn x);
}

/// <summary>A function of two elements, applied by <see cref="ElementKernels.Zip{TA, TB, TOut, TOp}"/>.</summary>
internal interface IZip<TA, TB, TOut>
    where TA : unmanaged
    where TB : unmanaged
    where TOut : unmanaged
{
    TOut Apply(TA a, TB b);
}

internal readonly struct Identity<T> : IMap<T, T>
    where T : unmanaged
{
    public T Apply(T x) => x;
}

/// <summary>A dtype conversion through double (exact for every value but int64 beyond 2^53); to bool is "not zero".</summary>
internal readonly struct Convert<TS, TD, TMS, TMD> : IMap<TS, TD>
    where TS : unmanaged
    where TD : unmanaged
    where TMS : struct, INumeric<TS>
    where TMD : struct, INumeric<TD>
{
    public TD Apply(TS x) => default(TMD).FromDouble(default(TMS).ToDouble(x));
}

/// <summary>
/// The floating <see cref="UnaryOp"/>s, chosen by a field rather than a type, so one compiled kernel per dtype
/// serves them all (the branch is uniform across a launch).
/// </summary>
internal struct FloatUnary<T, TM> : IMap<T, T>
    where T : unmanaged
    where TM : struct, IFloating<T>
{
    public int Op;
    public T A;
    public T B;
    public int HasA;
    public int HasB;

    public readonly T Apply(T x)
    {
        var m = default(TM);
        switch ((UnaryOp)Op)
        {
            case UnaryOp.Neg: return m.Sub(m.Zero, x);
            case UnaryOp.Exp: return m.Exp(x);
            case UnaryOp.Log: return m.Log(x);
            case UnaryOp.Sqrt: return m.Sqrt(x);
            case UnaryOp.Abs: return m.Less(x, m.Zero) ? m.Sub(m.Zero, x) : m.Add(x, m.Zero);
            case UnaryOp.Tanh: return m.Tanh(x);
            case UnaryOp.Sigmoid: return m.Div(m.One, m.Add(m.One, m.Exp(m.Sub(m.Zero, x))));

            // "not (x > 0)" would drop NaN; PyTorch's relu keeps it and maps -0 to 0.
            case UnaryOp.Relu: return m.Less(m.Zero, x) || m.IsNaN(x) ? x : m.Zero;
            case UnaryOp.Sign: return m.Less(m.Zero, x) ? m.One : m.Less(x, m.Zero) ? m.Sub(m.Zero, m.One) : m.Sub(x, x);
            case UnaryOp.Reciprocal: return m.Div(m.One, x);
            case UnaryOp.PowScalar:
                return m.Equal(A, m.FromDouble(2)) ? m.Mul(x, x) : m.Equal(A, m.One) ? x : m.Pow(x, A);
            default:
                var v = x;
                if (HasA != 0 && m.Less(v, A))
                {
                    v = A;
                }

                if (HasB != 0 && m.Less(B, v))
                {
                    v = B;
                }

                return v;
        }
    }
}

/// <summary>The <see cref="UnaryOp"/>s of int64 tensors.</summary>
internal struct LongUnary : IMap<long, long>
{
    public int Op;
    public long A;
    public long B;
    public int HasA;
    public int HasB;

    public readonly long Apply(long x)
    {
        switch ((UnaryOp)Op)
        {
            case UnaryOp.Neg: return -x;
            case UnaryOp.Abs: return x < 0 ? -x : x;
            case UnaryOp.Sign: return x > 0 ? 1 : x < 0 ? -1 : 0;
            case UnaryOp.Relu: return x > 0 ? x : 0;
            default:
                var v = x;
                if (HasA != 0 && v < A)
                {
                    v = A;
                }

                if (HasB != 0 && v > B)
                {
                    v = B;
                }

                return v;
        }
    }
}

internal readonly struct IsNaNOf<T, TM> : IMap<T, byte>
    where T : unmanaged
    where TM : struct, INumeric<T>
{
    public byte Apply(T x) => default(TM).IsNaN(x) ? (byte)1 : (byte)0;
}

internal readonly struct LogicalNot : IMap<byte, byte>
{
    public byte Apply(byte x) => x == 0 ? (byte)1 : (byte)0;
}

/// <summary>The arithmetic <see cref="BinaryOp"/>s; max and min let a NaN through, as PyTorch's do.</summary>
internal struct Arithmetic<T, TM> : IZip<T, T, T>
    where T : unmanaged
    where TM : struct, INumeric<T>
{
    public int Op;

    public readonly T Apply(T a, T b)
    {
        var m = default(TM);
        switch ((BinaryOp)Op)
        {
            case BinaryOp.Add: return m.Add(a, b);
            case BinaryOp.Sub: return m.Sub(a, b);
            case BinaryOp.Mul: return m.Mul(a, b);
            case BinaryOp.Div: return m.Div(a, b);
            case BinaryOp.Pow: return m.FromDouble(Math.Pow(m.ToDouble(a), m.ToDouble(b)));
            case BinaryOp.Maximum: return m.IsNaN(a) ? a : m.IsNaN(b) ? b : m.Less(a, b) ? b : a;
            default: return m.IsNaN(a) ? a : m.IsNaN(b) ? b : m.Less(b, a) ? b : a;
        }
    }
}

/// <summary>The comparison and logic <see cref="BinaryOp"/>s, giving bytes 0/1.</summary>
internal struct Comparison<T, TM> : IZip<T, T, byte>
    where T : unmanaged
    where TM : struct, INumeric<T>
{
    public int Op;

    public readonly byte Apply(T a, T b)
    {
        var m = default(TM);
        bool r;
        switch ((BinaryOp)Op)
        {
            case BinaryOp.Eq: r = m.Equal(a, b); break;
            case BinaryOp.Ne: r = !m.Equal(a, b); break;
            case BinaryOp.Lt: r = m.Less(a, b); break;
            case BinaryOp.Le: r = m.Less(a, b) || m.Equal(a, b); break;
            case BinaryOp.Gt: r = m.Less(b, a); break;
            case BinaryOp.Ge: r = m.Less(b, a) || m.Equal(a, b); break;
            case BinaryOp.And: r = !m.Equal(a, m.Zero) && !m.Equal(b, m.Zero); break;
            default: r = !m.Equal(a, m.Zero) || !m.Equal(b, m.Zero); break;
        }

        return r ? (byte)1 : (byte)0;
    }
}
