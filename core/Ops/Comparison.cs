using DistGrad.Kernels;

namespace DistGrad;

/// <summary>Comparisons and logic: Bool results, never differentiable.</summary>
public sealed partial class Tensor
{
    public static Tensor operator <(Tensor a, Tensor b) => Compare(BinaryOp.Lt, a, b);
    public static Tensor operator <(Tensor a, float b) => Compare(BinaryOp.Lt, a, Wrap(b));
    public static Tensor operator <(float a, Tensor b) => Compare(BinaryOp.Gt, b, Wrap(a));
    public static Tensor operator <(Tensor a, double b) => Compare(BinaryOp.Lt, a, Wrap(b));
    public static Tensor operator <(double a, Tensor b) => Compare(BinaryOp.Gt, b, Wrap(a));
    public static Tensor operator <(Tensor a, int b) => Compare(BinaryOp.Lt, a, Wrap(b));
    public static Tensor operator <(int a, Tensor b) => Compare(BinaryOp.Gt, b, Wrap(a));

    public static Tensor operator >(Tensor a, Tensor b) => Compare(BinaryOp.Gt, a, b);
    public static Tensor operator >(Tensor a, float b) => Compare(BinaryOp.Gt, a, Wrap(b));
    public static Tensor operator >(float a, Tensor b) => Compare(BinaryOp.Lt, b, Wrap(a));
    public static Tensor operator >(Tensor a, double b) => Compare(BinaryOp.Gt, a, Wrap(b));
    public static Tensor operator >(double a, Tensor b) => Compare(BinaryOp.Lt, b, Wrap(a));
    public static Tensor operator >(Tensor a, int b) => Compare(BinaryOp.Gt, a, Wrap(b));
    public static Tensor operator >(int a, Tensor b) => Compare(BinaryOp.Lt, b, Wrap(a));

    public static Tensor operator <=(Tensor a, Tensor b) => Compare(BinaryOp.Le, a, b);
    public static Tensor operator <=(Tensor a, float b) => Compare(BinaryOp.Le, a, Wrap(b));
    public static Tensor operator <=(float a, Tensor b) => Compare(BinaryOp.Ge, b, Wrap(a));
    public static Tensor operator <=(Tensor a, double b) => Compare(BinaryOp.Le, a, Wrap(b));
    public static Tensor operator <=(double a, Tensor b) => Compare(BinaryOp.Ge, b, Wrap(a));
    public static Tensor operator <=(Tensor a, int b) => Compare(BinaryOp.Le, a, Wrap(b));
    public static Tensor operator <=(int a, Tensor b) => Compare(BinaryOp.Ge, b, Wrap(a));

    public static Tensor operator >=(Tensor a, Tensor b) => Compare(BinaryOp.Ge, a, b);
    public static Tensor operator >=(Tensor a, float b) => Compare(BinaryOp.Ge, a, Wrap(b));
    public static Tensor operator >=(float a, Tensor b) => Compare(BinaryOp.Le, b, Wrap(a));
    public static Tensor operator >=(Tensor a, double b) => Compare(BinaryOp.Ge, a, Wrap(b));
    public static Tensor operator >=(double a, Tensor b) => Compare(BinaryOp.Le, b, Wrap(a));
    public static Tensor operator >=(Tensor a, int b) => Compare(BinaryOp.Ge, a, Wrap(b));
    public static Tensor operator >=(int a, Tensor b) => Compare(BinaryOp.Le, b, Wrap(a));

    public Tensor Eq(Tensor other) => Compare(BinaryOp.Eq, this, other);

    public Tensor Ne(Tensor other) => Compare(BinaryOp.Ne, this, other);

    public Tensor LogicalAnd(Tensor other) => Compare(BinaryOp.And, this, other);

    public Tensor LogicalOr(Tensor other) => Compare(BinaryOp.Or, this, other);

    public Tensor LogicalXor(Tensor other) => Compare(BinaryOp.Ne, Bool(), other.Bool());

    public Tensor LogicalNot() => Kernels.Unary(UnaryOp.Not, CastRaw(DType.Bool));

    /// <summary>Bool: which elements are NaN.</summary>
    public Tensor IsNan() => Kernels.Unary(UnaryOp.IsNan, this);

    private static Tensor Compare(BinaryOp op, Tensor a, Tensor b) => Elementwise(op, a, b, TypePromotion.ResultType(a, b));
}
