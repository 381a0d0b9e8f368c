using DistGrad.Kernels;

namespace DistGrad;

/// <summary>
/// + - * / with broadcasting and type promotion. Backward rules return gradients of the broadcast shape;
/// the engine sums them back to each input's shape, as PyTorch's does.
/// </summary>
public sealed partial class Tensor
{
    public static Tensor operator +(Tensor a, Tensor b) => a.Add(b);
    public static Tensor operator +(Tensor a, float b) => a.Add(Wrap(b));
    public static Tensor operator +(float a, Tensor b) => b.Add(Wrap(a));
    public static Tensor operator +(Tensor a, double b) => a.Add(Wrap(b));
    public static Tensor operator +(double a, Tensor b) => b.Add(Wrap(a));
    public static Tensor operator +(Tensor a, int b) => a.Add(Wrap(b));
    public static Tensor operator +(int a, Tensor b) => b.Add(Wrap(a));

    public static Tensor operator -(Tensor a, Tensor b) => a.Sub(b);
    public static Tensor operator -(Tensor a, float b) => a.Sub(Wrap(b));
    public static Tensor operator -(float a, Tensor b) => b.RSub(Wrap(a));
    public static Tensor operator -(Tensor a, double b) => a.Sub(Wrap(b));
    public static Tensor operator -(double a, Tensor b) => b.RSub(Wrap(a));
    public static Tensor operator -(Tensor a, int b) => a.Sub(Wrap(b));
    public static Tensor operator -(int a, Tensor b) => b.RSub(Wrap(a));

    public static Tensor operator *(Tensor a, Tensor b) => a.Mul(b);
    public static Tensor operator *(Tensor a, float b) => a.Mul(Wrap(b));
    public static Tensor operator *(float a, Tensor b) => b.Mul(Wrap(a));
    public static Tensor operator *(Tensor a, double b) => a.Mul(Wrap(b));
    public static Tensor operator *(double a, Tensor b) => b.Mul(Wrap(a));
    public static Tensor operator *(Tensor a, int b) => a.Mul(Wrap(b));
    public static Tensor operator *(int a, Tensor b) => b.Mul(Wrap(a));

    public static Tensor operator /(Tensor a, Tensor b) => a.Div(b);
    public static Tensor operator /(Tensor a, float b) => a.Div(Wrap(b));
    public static Tensor operator /(float a, Tensor b) => b.Reciprocal().Mul(Wrap(a));
    public static Tensor operator /(Tensor a, double b) => a.Div(Wrap(b));
    public static Tensor operator /(double a, Tensor b) => b.Reciprocal().Mul(Wrap(a));
    public static Tensor operator /(Tensor a, int b) => a.Div(Wrap(b));
    public static Tensor operator /(int a, Tensor b) => b.Reciprocal().Mul(Wrap(a));

    public static Tensor operator -(Tensor a) => a.Neg();

    /// <summary>A C# number as a tensor operand: never promotes a tensor's dtype (PyTorch's wrapped number).</summary>
    internal static Tensor Wrap(double value) =>
        new(KernelRegistry.For(Device.Cpu).FromHost(new[] { value }), []) { WrappedValue = new WrappedNumber(value, 0) };

    internal static Tensor Wrap(long value) =>
        new(KernelRegistry.For(Device.Cpu).FromHost(new[] { value }), []) { WrappedValue = new WrappedNumber(0, value) };

    public static implicit operator Tensor(float value) => Wrap(value);

    public static implicit operator Tensor(double value) => Wrap(value);

    public static implicit operator Tensor(int value) => Wrap((long)value);

    public Tensor Add(Tensor other)
    {
        var dtype = TypePromotion.ResultType(this, other);
        var result = Elementwise(dtype == DType.Bool ? BinaryOp.Or : BinaryOp.Add, this, other, dtype);
        return Graph.Record("AddBackward0", result, [this, other], null, static (n, g) => [g, g]);
    }

    public Tensor Sub(Tensor other)
    {
        var dtype = TypePromotion.ResultType(this, other);
        if (dtype == DType.Bool)
        {
            throw new InvalidOperationException("Subtraction, the `-` operator, with two bool tensors is not supported. Use LogicalXor or LogicalNot instead.");
        }

        var result = Elementwise(BinaryOp.Sub, this, other, dtype);
        return Graph.Record("SubBackward0", result, [this, other], null, static (n, g) => [g, n.NeedsInputGrad(1) ? -g : null]);
    }

    /// <summary>other - this (PyTorch's rsub, what "2 - x" records).</summary>
    internal Tensor RSub(Tensor other)
    {
        var result = Elementwise(BinaryOp.Sub, other, this, TypePromotion.ResultType(other, this));
        return Graph.Record("RsubBackward1", result, [this], null, static (n, g) => [-g]);
    }

    public Tensor Mul(Tensor other)
    {
        var dtype = TypePromotion.ResultType(this, other);
        var result = Elementwise(dtype == DType.Bool ? BinaryOp.And : BinaryOp.Mul, this, other, dtype);
        return Graph.Record(
            "MulBackward0", result, [this, other], [other.RequiresGrad ? this : null, RequiresGrad ? other : null],
            static (n, g) => [n.NeedsInputGrad(0) ? g * n.Saved(1) : null, n.NeedsInputGrad(1) ? g * n.Saved(0) : null]);
    }

    public Tensor Div(Tensor other)
    {
        var dtype = TypePromotion.ResultType(this, other);
        var result = Elementwise(BinaryOp.Div, this, other, dtype.IsFloating() ? dtype : DType.Float32);
        return Graph.Record(
            "DivBackward0", result, [this, other], [other.RequiresGrad ? this : null, other],
            static (n, g) => [
                n.NeedsInputGrad(0) ? g / n.Saved(1) : null,
                n.NeedsInputGrad(1) ? -g * n.Saved(0) / (n.Saved(1) * n.Saved(1)) : null,
            ]);
    }

    public Tensor Neg()
    {
        if (DType == DType.Bool)
        {
            throw new InvalidOperationException("Negation, the `-` operator, on a bool tensor is not supported. Use LogicalNot instead.");
        }

        return Graph.Record("NegBackward0", Kernels.Unary(UnaryOp.Neg, this), [this], null, static (n, g) => [-g]);
    }

    /// <summary>1 / x.</summary>
    public Tensor Reciprocal()
    {
        var x = FloatingInput();
        var result = x.Kernels.Unary(UnaryOp.Reciprocal, x);
        return Graph.Record("ReciprocalBackward0", result, [this], [result], static (n, g) => [-g * n.Saved(0) * n.Saved(0)]);
    }

    /// <summary>Runs a binary kernel on both operands cast to <paramref name="dtype"/> and broadcast to one shape.</summary>
    internal static Tensor Elementwise(BinaryOp op, Tensor a, Tensor b, DType dtype)
    {
        if (a.Device != b.Device && !a.IsWrappedNumber && !b.IsWrappedNumber)
        {
            throw new InvalidOperationException($"Expected all tensors to be on the same device, but found at least two devices, {a.Device} and {b.Device}!");
        }

        // Kernels never record, so the operands go in as they are (no Detach copies), and an operand that
        // already has the result's shape lends it its shape array instead of a fresh one.
        var shape = BroadcastShape(a._shape, b._shape);
        var device = a.IsWrappedNumber ? b.Device : a.Device;
        var x = a.To(device).CastRaw(dtype).BroadcastRaw(shape);
        var y = b.To(device).CastRaw(dtype).BroadcastRaw(shape);
        return x.Kernels.Binary(op, x, y);
    }

    private static int[] BroadcastShape(int[] a, int[] b)
    {
        if (a.Length >= b.Length && Shapes.ExpandableTo(b, a))
        {
            return a;
        }

        return b.Length >= a.Length && Shapes.ExpandableTo(a, b) ? b : Shapes.Broadcast(a, b);
    }

    /// <summary>This tensor, or a Float32 copy when it is an integer or bool tensor (for floating-only functions).</summary>
    internal Tensor FloatingInput() => DType.IsFloating() ? this : CastRaw(DType.Float32);
}
