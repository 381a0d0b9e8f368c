namespace DistGrad.Kernels;

/// <summary>Elementwise functions of one tensor (plus up to two scalar parameters).</summary>
public enum UnaryOp
{
    Neg,
    Exp,
    Log,
    Sqrt,
    Abs,
    Tanh,
    Sigmoid,
    Relu,
    Sign,
    Reciprocal,

    /// <summary>x raised to the scalar parameter a.</summary>
    PowScalar,

    /// <summary>Clamps into [a, b]; NaN bounds mean "no bound".</summary>
    Clamp,

    /// <summary>Gives Bool: element is NaN.</summary>
    IsNan,

    /// <summary>Bool logical not.</summary>
    Not,
}

/// <summary>Elementwise functions of two tensors of one shape and dtype.</summary>
public enum BinaryOp
{
    Add,
    Sub,
    Mul,
    Div,
    Pow,
    Maximum,
    Minimum,

    // Comparisons and logic give Bool.
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    And,
    Or,
}

/// <summary>Reductions over a set of dims.</summary>
public enum ReduceOp
{
    Sum,
    Max,
    Min,

    /// <summary>Bool: any element true.</summary>
    Any,

    /// <summary>Bool: all elements true.</summary>
    All,
}

internal static class KernelOpFacts
{
    public static bool GivesBool(this BinaryOp op) => op >= BinaryOp.Eq;
}
