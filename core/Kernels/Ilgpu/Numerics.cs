using ILGPU;

namespace DistGrad.Kernels.Ilgpu;

/// <summary>
/// Arithmetic on one element type, as instance methods of a struct: ILGPU inlines a struct's interface methods
/// into the kernel, so one generic kernel serves float, double, long and bool (byte) without generic math,
/// which its CUDA compiler does not take.
/// </summary>
internal interface INumeric<T>
    where T : unmanaged
{
    T Zero { get; }

    T One { get; }

    /// <summary>The identity of max: -inf for floats, the least value for integers.</summary>
    T Lowest { get; }

    /// <summary>The identity of min.</summary>
    T Highest { get; }

    T Add(T a, T b);

    T Sub(T a, T b);

    T Mul(T a, T b);

    T Div(T a, T b);

    bool Less(T a, T b);

    bool Equal(T a, T b);

    bool IsNaN(T a);

    T FromDouble(double v);

    double ToDouble(T v);

    void AtomicAdd(ArrayView<T> view, int index, T value);
}

/// <summary>The transcendental functions of a floating type.</summary>
internal interface IFloating<T> : INumeric<T>
    where T : unmanaged
{
    T Exp(T x);

    T Log(T x);

    T Sqrt(T x);

    T Tanh(T x);

    T Pow(T x, T y);

    bool IsInfinity(T x);
}

internal readonly struct F32 : IFloating<float>
{
    public float Zero => 0f;

    public float One => 1f;

    public float Lowest => float.NegativeInfinity;

    public float Highest => float.PositiveInfinity;

    public float Add(float a, float b) => a + b;

    public float Sub(float a, float b) => a - b;

    public float Mul(float a, float b) => a * b;

    public float Div(float a, float b) => a / b;

    public bool Less(float a, float b) => a < b;

    public bool Equal(float a, float b) => a == b;

    public bool IsNaN(float a) => float.IsNaN(a);

    public float FromDouble(double v) => (float)v;

    public double ToDouble(float v) => v;

    public void AtomicAdd(ArrayView<float> view, int index, float value) => Atomic.Add(ref view[index], value);

    public float Exp(float x) => MathF.Exp(x);

    public float Log(float x) => MathF.Log(x);

    public float Sqrt(float x) => MathF.Sqrt(x);

    public float Tanh(float x) => MathF.Tanh(x);

    public float Pow(float x, float y) => MathF.Pow(x, y);

    public bool IsInfinity(float x) => x == float.PositiveInfinity || x == float.NegativeInfinity;
}

internal readonly struct F64 : IFloating<double>
{
    public double Zero => 0d;

    public double One => 1d;

    public double Lowest => double.NegativeInfinity;

    public double Highest => double.PositiveInfinity;

    public double Add(double a, double b) => a + b;

    public double Sub(double a, double b) => a - b;

    public double Mul(double a, double b) => a * b;

    public double Div(double a, double b) => a / b;

    public bool Less(double a, double b) => a < b;

    public bool Equal(double a, double b) => a == b;

    public bool IsNaN(double a) => double.IsNaN(a);

    public double FromDouble(double v) => v;

    public double ToDouble(double v) => v;

    public void AtomicAdd(ArrayView<double> view, int index, double value) => Atomic.Add(ref view[index], value);

    public double Exp(double x) => Math.Exp(x);

    public double Log(double x) => Math.Log(x);

    public double Sqrt(double x) => Math.Sqrt(x);

    public double Tanh(double x) => Math.Tanh(x);

    public double Pow(double x, double y) => Math.Pow(x, y);

    public bool IsInfinity(double x) => x == double.PositiveInfinity || x == double.NegativeInfinity;
}

internal readonly struct I64 : INumeric<long>
{
    public long Zero => 0L;

    public long One => 1L;

    public long Lowest => long.MinValue;

    public long Highest => long.MaxValue;

    public long Add(long a, long b) => a + b;

    public long Sub(long a, long b) => a - b;

    public long Mul(long a, long b) => a * b;

    // The CPU backend throws on a zero divisor; a kernel cannot, so it gives 0 (only integer division can get here).
    public long Div(long a, long b) => b == 0 ? 0 : a / b;

    public bool Less(long a, long b) => a < b;

    public bool Equal(long a, long b) => a == b;

    public bool IsNaN(long a) => false;

    public long FromDouble(double v) => (long)v;

    public double ToDouble(long v) => v;

    public void AtomicAdd(ArrayView<long> view, int index, long value) => Atomic.Add(ref view[index], value);
}

/// <summary>Bool elements as bytes 0/1: enough arithmetic for any/all, comparisons and conversions.</summary>
internal readonly struct U8 : INumeric<byte>
{
    public byte Zero => 0;

    public byte One => 1;

    public byte Lowest => 0;

    public byte Highest => 1;

    public byte Add(byte a, byte b) => (byte)(a | b);

    public byte Sub(byte a, byte b) => (byte)(a & ~b);

    public byte Mul(byte a, byte b) => (byte)(a & b);

    public byte Div(byte a, byte b) => a;

    public bool Less(byte a, byte b) => a < b;

    public bool Equal(byte a, byte b) => a == b;

    public bool IsNaN(byte a) => false;

    public byte FromDouble(double v) => v != 0 ? (byte)1 : (byte)0;

    public double ToDouble(byte v) => v;

    public void AtomicAdd(ArrayView<byte> view, int index, byte value)
    {
        if (value != 0)
        {
            view[index] = 1;
        }
    }
}
