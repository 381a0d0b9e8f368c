namespace DistGrad.Tests.Ops;

/// <summary>
/// Every differentiable op's backward checked against central finite differences with
/// <see cref="GradCheck"/> on Float64 inputs, as torch.autograd.gradcheck / gradgradcheck would.
/// Inputs are seeded Randn draws; ops with a restricted domain (Log, Sqrt, fractional Pow, Reciprocal,
/// divisors) get inputs shifted away from 0, and kinked ops (Abs, Relu, Clamp, Max) are evaluated
/// away from their kinks, where the finite difference is well defined.
/// </summary>
public class GradCheckOpsTests
{
    // ------------------------------------------------------------------ helpers

    /// <summary>A Float64 leaf requiring grad with standard-normal entries drawn from a seeded generator.</summary>
    private static Tensor Randn(int[] shape, int seed = 0) =>
        Tensor.Randn(shape, DType.Float64, requiresGrad: true, generator: new Generator(seed));

    /// <summary>A Float64 leaf requiring grad with entries in [0.5, ∞): safe for Log, Sqrt, x^0.5, 1/x.</summary>
    private static Tensor Positive(int[] shape, int seed = 0) =>
        (Tensor.Randn(shape, DType.Float64, generator: new Generator(seed)).Abs() + 0.5).SetRequiresGrad();

    /// <summary>A Float64 tensor that does not require grad (a constant operand).</summary>
    private static Tensor Constant(int[] shape, int seed) => Tensor.Randn(shape, DType.Float64, generator: new Generator(seed));

    private static void Check(Func<Tensor, Tensor> function, Tensor input) => Assert.True(GradCheck.Check(function, input));

    private static void Check(Func<Tensor[], Tensor> function, params Tensor[] inputs) => Assert.True(GradCheck.Check(function, inputs));

    /// <summary>
    /// x ↦ d(f(x).Sum())/dx built with createGraph, so GradCheck of it checks second derivatives (PyTorch's
    /// gradgradcheck). GradCheck must evaluate the function with grad mode on for this to work.
    /// </summary>
    private static Func<Tensor, Tensor> GradOf(Func<Tensor, Tensor> f) =>
        x => Autograd.Grad([f(x).Sum()], [x], createGraph: true)[0]!;

    // ------------------------------------------------------------------ unary pointwise

    private static readonly Dictionary<string, (Func<Tensor, Tensor> F, bool PositiveInput)> UnaryCases = new()
    {
        ["Exp"] = (x => x.Exp(), false),
        ["Log"] = (x => x.Log(), true),
        ["Sqrt"] = (x => x.Sqrt(), true),
        ["Abs"] = (x => x.Abs(), false),
        ["Tanh"] = (x => x.Tanh(), false),
        ["Sigmoid"] = (x => x.Sigmoid(), false),
        ["Relu"] = (x => x.Relu(), false),
        ["ClampMinMax"] = (x => x.Clamp(min: -0.5, max: 0.5), false),
        ["ClampMinOnly"] = (x => x.Clamp(min: 0.1), false),
        ["ClampMaxOnly"] = (x => x.Clamp(max: -0.1), false),
        ["Pow0"] = (x => x.Pow(0), false),
        ["Pow1"] = (x => x.Pow(1), false),
        ["Pow2"] = (x => x.Pow(2), false),
        ["Pow3"] = (x => x.Pow(3), false),
        ["PowHalf"] = (x => x.Pow(0.5), true),
        ["PowNegative1_5"] = (x => x.Pow(-1.5), true),
        ["PowNegative2"] = (x => x.Pow(-2), true),
        ["Neg"] = (x => x.Neg(), false),
        ["UnaryMinusOperator"] = (x => -x, false),
        ["Reciprocal"] = (x => x.Reciprocal(), true),
        ["Clone"] = (x => x.Clone() * x, false),
        ["DoubleIsIdentity"] = (x => x.Double().Exp(), false),
        ["ToFloat64IsIdentity"] = (x => x.To(DType.Float64) * 3, false),
        ["Sign"] = (x => x.Sign() * x, false),
    };

    public static TheoryData<string> UnaryOps => [.. UnaryCases.Keys];

    [Theory]
    [MemberData(nameof(UnaryOps))]
    public void Unary(string op)
    {
        var (f, positive) = UnaryCases[op];
        Check(f, positive ? Positive([3, 4], seed: 1) : Randn([3, 4], seed: 1));
    }

    [Theory]
    [MemberData(nameof(UnaryOps))]
    public void Unary_ZeroDim(string op)
    {
        var (f, positive) = UnaryCases[op];
        Check(f, positive ? Positive([], seed: 2) : Randn([], seed: 2));
    }

    /// <summary>The same ops on a transposed (non-contiguous) view taken inside the function.</summary>
    [Theory]
    [MemberData(nameof(UnaryOps))]
    public void Unary_NonContiguousInput(string op)
    {
        var (f, positive) = UnaryCases[op];
        Check(x => f(x.T), positive ? Positive([3, 4], seed: 3) : Randn([3, 4], seed: 3));
    }

    /// <summary>The same ops on a stepped slice x[::2] (non-contiguous, offset strides).</summary>
    [Theory]
    [MemberData(nameof(UnaryOps))]
    public void Unary_SteppedSliceInput(string op)
    {
        var (f, positive) = UnaryCases[op];
        Check(x => f(x[TensorIndex.Slice(null, null, 2)]), positive ? Positive([5, 3], seed: 4) : Randn([5, 3], seed: 4));
    }

    // ------------------------------------------------------------------ binary ops with broadcasting

    private static readonly Dictionary<string, Func<Tensor, Tensor, Tensor>> BinaryCases = new()
    {
        ["Add"] = (a, b) => a + b,
        ["Sub"] = (a, b) => a - b,
        ["Mul"] = (a, b) => a * b,
        ["Div"] = (a, b) => a / b,
        ["PowTensor"] = (a, b) => a.Pow(b),
    };

    /// <summary>Shape pairs: equal, [3,1]⊗[1,4], [2,3]⊗[3], tensor ⊗ 0-dim, 0-dim ⊗ tensor, rank-3 against rank-2.</summary>
    private static readonly (int[] A, int[] B)[] BroadcastShapes =
    [
        ([2, 3], [2, 3]),
        ([3, 1], [1, 4]),
        ([2, 3], [3]),
        ([3], [2, 3]),
        ([2, 3], []),
        ([], [2, 3]),
        ([2, 1, 3], [4, 1]),
    ];

    public static TheoryData<string, int> BinaryOpsAndShapes
    {
        get
        {
            var data = new TheoryData<string, int>();
            foreach (var op in BinaryCases.Keys)
            {
                for (var s = 0; s < BroadcastShapes.Length; s++)
                {
                    data.Add(op, s);
                }
            }

            return data;
        }
    }

    /// <summary>Both operands require grad; the broadcast gradient must be summed back to each shape.</summary>
    [Theory]
    [MemberData(nameof(BinaryOpsAndShapes))]
    public void Binary_Broadcasting(string op, int shapeCase)
    {
        var (shapeA, shapeB) = BroadcastShapes[shapeCase];

        // Div needs a divisor away from 0 and Pow a positive base (x^e log x); others take any values.
        var a = op == "PowTensor" ? Positive(shapeA, seed: 10) : Randn(shapeA, seed: 10);
        var b = op == "Div" ? Positive(shapeB, seed: 11) : Randn(shapeB, seed: 11);
        Check(xs => BinaryCases[op](xs[0], xs[1]), a, b);
    }

    /// <summary>Only one operand requires grad: the other's gradient is never asked for.</summary>
    [Theory]
    [MemberData(nameof(BinaryOpsAndShapes))]
    public void Binary_OnlyFirstRequiresGrad(string op, int shapeCase)
    {
        var (shapeA, shapeB) = BroadcastShapes[shapeCase];
        var a = op == "PowTensor" ? Positive(shapeA, seed: 12) : Randn(shapeA, seed: 12);
        var b = op == "Div" ? Positive(shapeB, seed: 13).Detach() : Constant(shapeB, seed: 13);
        Check(x => BinaryCases[op](x, b), a);
    }

    [Theory]
    [MemberData(nameof(BinaryOpsAndShapes))]
    public void Binary_OnlySecondRequiresGrad(string op, int shapeCase)
    {
        var (shapeA, shapeB) = BroadcastShapes[shapeCase];
        var a = op == "PowTensor" ? Positive(shapeA, seed: 14).Detach() : Constant(shapeA, seed: 14);
        var b = op == "Div" ? Positive(shapeB, seed: 15) : Randn(shapeB, seed: 15);
        Check(y => BinaryCases[op](a, y), b);
    }

    /// <summary>Non-contiguous operands: a transposed left side against a stepped-slice right side.</summary>
    [Theory]
    [InlineData("Add")]
    [InlineData("Sub")]
    [InlineData("Mul")]
    [InlineData("Div")]
    [InlineData("PowTensor")]
    public void Binary_NonContiguousOperands(string op)
    {
        var a = op == "PowTensor" ? Positive([4, 3], seed: 16) : Randn([4, 3], seed: 16);
        var b = op == "Div" ? Positive([3, 8], seed: 17) : Randn([3, 8], seed: 17);
        Check(xs => BinaryCases[op](xs[0].T, xs[1][.., TensorIndex.Slice(null, null, 2)]), a, b);
    }

    private static readonly Dictionary<string, (Func<Tensor, Tensor> F, bool PositiveInput)> ScalarOperandCases = new()
    {
        ["TensorPlusInt"] = (x => x + 2, false),
        ["IntPlusTensor"] = (x => 2 + x, false),
        ["TensorPlusFloat"] = (x => x + 2.5f, false),
        ["TensorMinusDouble"] = (x => x - 2.5, false),
        ["DoubleMinusTensor"] = (x => 2.5 - x, false),
        ["IntMinusTensor"] = (x => 3 - x, false),
        ["TensorTimesDouble"] = (x => x * 1.5, false),
        ["FloatTimesTensor"] = (x => 1.5f * x, false),
        ["TensorDivInt"] = (x => x / 4, false),
        ["DoubleDivTensor"] = (x => 3.0 / x, true),
        ["IntDivTensor"] = (x => 3 / x, true),
        ["TensorTimesFloat32Tensor"] = (x => x * Tensor.From(new[] { 1f, -2f, 3f, 0.5f }), false),
    };

    public static TheoryData<string> ScalarOperandOps => [.. ScalarOperandCases.Keys];

    [Theory]
    [MemberData(nameof(ScalarOperandOps))]
    public void Binary_ScalarOperand(string op)
    {
        var (f, positive) = ScalarOperandCases[op];
        Check(f, positive ? Positive([3, 4], seed: 18) : Randn([3, 4], seed: 18));
    }

    /// <summary>x used twice in one op: both gradient contributions must be added.</summary>
    [Fact]
    public void Binary_SameTensorOnBothSides() => Check(x => x * x + x / (x.Abs() + 1), Randn([5], seed: 19));

    // ------------------------------------------------------------------ reductions

    private static readonly Dictionary<string, Func<Tensor, Tensor>> ReductionCases = new()
    {
        ["Sum"] = x => x.Sum(),
        ["SumDim0"] = x => x.Sum(0),
        ["SumDim1"] = x => x.Sum(1),
        ["SumDimNeg1KeepDim"] = x => x.Sum(-1, keepDim: true),
        ["SumDims02"] = x => x.Sum([0, 2]),
        ["SumDims02KeepDim"] = x => x.Sum([0, 2], keepDim: true),
        ["SumDimsNeg1Neg2KeepDim"] = x => x.Sum([-1, -2], keepDim: true),
        ["Mean"] = x => x.Mean(),
        ["MeanDim1"] = x => x.Mean(1),
        ["MeanDim1KeepDim"] = x => x.Mean(1, keepDim: true),
        ["MeanDimNeg1"] = x => x.Mean(-1),
        ["MeanDims01"] = x => x.Mean([0, 1]),
        ["MeanDims12KeepDim"] = x => x.Mean([1, 2], keepDim: true),
        ["Max"] = x => x.Max(),
        ["Min"] = x => x.Min(),
        ["Norm1"] = x => x.Norm(1),
        ["Norm2"] = x => x.Norm(2),
        ["NormDefault"] = x => x.Norm(),
        ["Norm3"] = x => x.Norm(3),
        ["Norm1_5"] = x => x.Norm(1.5),
        ["NormInf"] = x => x.Norm(double.PositiveInfinity),
        ["SumThenSquare"] = x => x.Sum(1).Pow(2),
    };

    public static TheoryData<string> ReductionOps => [.. ReductionCases.Keys];

    [Theory]
    [MemberData(nameof(ReductionOps))]
    public void Reduction(string op) => Check(ReductionCases[op], Randn([2, 3, 4], seed: 20));

    [Theory]
    [MemberData(nameof(ReductionOps))]
    public void Reduction_NonContiguousInput(string op) => Check(x => ReductionCases[op](x.Permute(2, 0, 1)), Randn([2, 3, 4], seed: 21));

    /// <summary>
    /// p-norms with p &gt; 1 are differentiable at an exact zero entry (the partial derivative there is 0),
    /// so GradCheck applies; the backward must not form 0 · 0^(p-2).
    /// </summary>
    [Theory]
    [InlineData(1.5)]
    [InlineData(2.0)]
    [InlineData(3.0)]
    [InlineData(4.0)]
    public void Norm_WithExactZeroEntry(double p) =>
        Check(x => x.Norm(p), Tensor.From(new[] { 0.0, 1.3, -0.7, 2.1 }, requiresGrad: true));

    [Fact]
    public void Reduction_OfZeroDimTensor()
    {
        Check(x => x.Sum() * x.Mean(), Randn([], seed: 22));
        Check(x => x.Max() + x.Norm(), Randn([], seed: 23));
    }

    // ------------------------------------------------------------------ matrix products

    /// <summary>Every matmul shape combination: dot, mv, vector·matrix, mm, bmm and broadcast batches.</summary>
    [Theory]
    [InlineData(new[] { 4 }, new[] { 4 })]
    [InlineData(new[] { 3, 4 }, new[] { 4 })]
    [InlineData(new[] { 4 }, new[] { 4, 2 })]
    [InlineData(new[] { 3, 4 }, new[] { 4, 2 })]
    [InlineData(new[] { 2, 3, 4 }, new[] { 2, 4, 5 })]
    [InlineData(new[] { 2, 3, 4 }, new[] { 4, 5 })]
    [InlineData(new[] { 3, 4 }, new[] { 2, 4, 5 })]
    [InlineData(new[] { 2, 3, 4 }, new[] { 4 })]
    [InlineData(new[] { 4 }, new[] { 2, 4, 5 })]
    [InlineData(new[] { 2, 1, 3, 4 }, new[] { 3, 4, 2 })]
    [InlineData(new[] { 1, 3, 4 }, new[] { 2, 4, 2 })]
    public void MatMul(int[] shapeA, int[] shapeB) =>
        Check(xs => xs[0].MatMul(xs[1]), Randn(shapeA, seed: 30), Randn(shapeB, seed: 31));

    /// <summary>Matmul of transposed (non-contiguous) operands.</summary>
    [Fact]
    public void MatMul_TransposedOperands() =>
        Check(xs => xs[0].T.MatMul(xs[1].Transpose(0, 1)), Randn([4, 3], seed: 32), Randn([2, 4], seed: 33));

    [Fact]
    public void MatMul_BatchedTransposedOperands() =>
        Check(xs => xs[0].Transpose(1, 2).MatMul(xs[1].Transpose(-1, -2)), Randn([2, 4, 3], seed: 34), Randn([2, 5, 4], seed: 35));

    [Fact]
    public void Mm() => Check(xs => xs[0].Mm(xs[1]), Randn([3, 4], seed: 36), Randn([4, 2], seed: 37));

    [Fact]
    public void Bmm() => Check(xs => xs[0].Bmm(xs[1]), Randn([2, 3, 4], seed: 38), Randn([2, 4, 2], seed: 39));

    [Fact]
    public void Dot() => Check(xs => xs[0].Dot(xs[1]), Randn([5], seed: 40), Randn([5], seed: 41));

    [Fact]
    public void Mv() => Check(xs => xs[0].Mv(xs[1]), Randn([3, 5], seed: 42), Randn([5], seed: 43));

    [Fact]
    public void Dot_SameTensorTwice() => Check(x => x.Dot(x), Randn([4], seed: 44));

    // ------------------------------------------------------------------ softmax

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-1)]
    public void Softmax(int dim) => Check(x => x.Softmax(dim), Randn([3, 4], seed: 50));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-1)]
    public void LogSoftmax(int dim) => Check(x => x.LogSoftmax(dim), Randn([3, 4], seed: 51));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-1)]
    public void Softmax_ThreeDims(int dim) => Check(x => x.Softmax(dim), Randn([2, 3, 4], seed: 52));

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void LogSoftmax_ThreeDims(int dim) => Check(x => x.LogSoftmax(dim), Randn([2, 3, 4], seed: 53));

    [Fact]
    public void Softmax_NonContiguousInput() => Check(x => x.T.Softmax(-1) + x.T.LogSoftmax(0), Randn([3, 4], seed: 54));

    [Fact]
    public void Softmax_OneDim() => Check(x => x.Softmax(0) * x.LogSoftmax(-1), Randn([5], seed: 55));

    // ------------------------------------------------------------------ joining

    [Fact]
    public void Cat_Dim0() => Check(xs => Tensor.Cat([xs[0], xs[1]], 0), Randn([2, 3], seed: 60), Randn([1, 3], seed: 61));

    [Fact]
    public void Cat_Dim1() => Check(xs => Tensor.Cat([xs[0], xs[1]], 1), Randn([2, 3], seed: 62), Randn([2, 2], seed: 63));

    [Fact]
    public void Cat_NegativeDim_NonContiguous() => Check(xs => Tensor.Cat([xs[0].T, xs[1]], -1), Randn([3, 2], seed: 64), Randn([2, 4], seed: 65));

    [Fact]
    public void Cat_SameTensorTwice() => Check(x => Tensor.Cat([x, x * 2], 0), Randn([2, 3], seed: 66));

    [Fact]
    public void Cat_OneInputRequiresGrad()
    {
        var c = Constant([2, 3], seed: 67);
        Check(x => Tensor.Cat([c, x], 0), Randn([1, 3], seed: 68));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(-1)]
    public void Stack(int dim) => Check(xs => Tensor.Stack([xs[0], xs[1]], dim), Randn([2, 3], seed: 69), Randn([2, 3], seed: 70));

    [Fact]
    public void Stack_NonContiguous() => Check(xs => Tensor.Stack([xs[0].T, xs[1]], 1), Randn([3, 2], seed: 71), Randn([2, 3], seed: 72));

    // ------------------------------------------------------------------ views and indexing

    private static readonly Dictionary<string, Func<Tensor, Tensor>> ViewCases = new()
    {
        ["ExpandNewDimsAndSingleton"] = x => x[.., 0..1].Expand(2, 3, 4),
        ["ExpandMinusOne"] = x => x[.., 0..1].Expand(-1, 5),
        ["ExpandAs"] = x => x[0..1].ExpandAs(Tensor.Zeros([2, 3, 4])),
        ["View"] = x => x.View(4, 3),
        ["ViewInfer"] = x => x.View(-1),
        ["Reshape"] = x => x.Reshape(2, 6),
        ["ReshapeNonContiguousCopies"] = x => x.T.Reshape(-1),
        ["Flatten"] = x => x.Unsqueeze(0).Flatten(),
        ["FlattenFrom1"] = x => x.Unsqueeze(0).Flatten(1),
        ["Unsqueeze0"] = x => x.Unsqueeze(0),
        ["UnsqueezeNeg1"] = x => x.Unsqueeze(-1),
        ["Squeeze"] = x => x.Unsqueeze(1).Squeeze(1),
        ["SqueezeAll"] = x => x.Unsqueeze(0).Unsqueeze(2).Squeeze(),
        ["SqueezeNoop"] = x => x.Squeeze(0),
        ["Transpose"] = x => x.Transpose(0, 1),
        ["TransposeNeg"] = x => x.Unsqueeze(0).Transpose(-1, 0),
        ["T"] = x => x.T,
        ["Permute"] = x => x.Unsqueeze(1).Permute(2, 0, 1),
        ["Select"] = x => x.Select(1, 2),
        ["SelectNegative"] = x => x.Select(0, -1),
        ["Slice"] = x => x.Slice(1, 1, 3),
        ["SliceStep"] = x => x.Slice(1, null, null, 2),
        ["Narrow"] = x => x.Narrow(0, 1, 2),
        ["IndexIntRange"] = x => x[0, 1..3],
        ["IndexFullRangeInt"] = x => x[.., 1],
        ["IndexFromEnd"] = x => x[^1],
        ["IndexSteppedSlice"] = x => x[TensorIndex.Slice(null, null, 2), TensorIndex.Slice(1, null, 2)],
        ["IndexEllipsis"] = x => x[TensorIndex.Ellipsis, 0],
        ["IndexNewAxis"] = x => x[TensorIndex.NewAxis, .., 2],
        ["ViewOfViewOfView"] = x => x.T[1..][.., 0..2].Unsqueeze(0),
        ["SelectOfTranspose"] = x => x.T.Select(0, 1),
    };

    public static TheoryData<string> ViewOps => [.. ViewCases.Keys];

    /// <summary>Each view multiplied by a constant so the Jacobian is not just a permutation of ones.</summary>
    [Theory]
    [MemberData(nameof(ViewOps))]
    public void View(string op) => Check(x => ViewCases[op](x) * 1.5, Randn([3, 4], seed: 80));

    /// <summary>A nonlinear function applied through the view, so the gradient's layout really matters.</summary>
    [Theory]
    [MemberData(nameof(ViewOps))]
    public void View_ThenNonlinear(string op) => Check(x => ViewCases[op](x).Pow(2).Sum(), Randn([3, 4], seed: 81));

    /// <summary>Masked get x[mask] (a copy of the selected elements, 1-D, row-major).</summary>
    [Fact]
    public void MaskedIndexGet()
    {
        var mask = Tensor.From(new[] { true, false, true, true, false, false }).Reshape(2, 3);
        Check(x => x[mask] * x[mask], Randn([2, 3], seed: 82));
    }

    [Fact]
    public void MaskedIndexGet_NonContiguous()
    {
        var mask = Tensor.From(new[] { true, false, true, true, false, false }).Reshape(3, 2);
        Check(x => x.T[mask].Exp(), Randn([2, 3], seed: 83));
    }

    /// <summary>y[mask] = 0 on a non-leaf: the gradient is cut where the mask is true.</summary>
    [Fact]
    public void MaskedIndexSet_Scalar()
    {
        var mask = Tensor.From(new[] { true, false, true, true, false, false }).Reshape(2, 3);
        Check(x =>
        {
            var y = x * 1;
            y[mask] = 0.0;
            return y * x;
        }, Randn([2, 3], seed: 84));
    }

    /// <summary>y[mask] = v with v requiring grad: v's gradient is the selected part of the output gradient.</summary>
    [Fact]
    public void MaskedIndexSet_Values()
    {
        var mask = Tensor.From(new[] { true, false, true, true, false, false }).Reshape(2, 3);
        Check(xs =>
        {
            var y = xs[0] * 1;
            y[mask] = xs[1];
            return y.Pow(2);
        }, Randn([2, 3], seed: 85), Randn([3], seed: 86));
    }

    /// <summary>Basic-indexer assignment y[0, 1..3] = v on a non-leaf (a CopySlices node).</summary>
    [Fact]
    public void IndexSet_Values() => Check(xs =>
    {
        var y = xs[0] * 1;
        y[0, 1..3] = xs[1];
        return y.Pow(2);
    }, Randn([2, 4], seed: 87), Randn([2], seed: 88));

    // ------------------------------------------------------------------ in-place ops on non-leaf tensors

    private static readonly Dictionary<string, Func<Tensor, Tensor, Tensor>> InPlaceCases = new()
    {
        ["MulInPlace"] = (y, w) => y.MulInPlace(w),
        ["AddInPlace"] = (y, w) => y.AddInPlace(w),
        ["SubInPlace"] = (y, w) => y.SubInPlace(w),
        ["DivInPlace"] = (y, w) => y.DivInPlace(w.Abs() + 0.5),
        ["MulInPlaceScalar"] = (y, w) => y.MulInPlace(2.5) * w,
        ["AddInPlaceScalar"] = (y, w) => y.AddInPlace(2.5) * w,
        ["DivInPlaceScalar"] = (y, w) => y.DivInPlace(4) * w,
        ["ClampInPlace"] = (y, w) => y.ClampInPlace(min: -0.5, max: 0.5) * w,
        ["CopyFrom"] = (y, w) => y.CopyFrom(w.Exp()),
        ["MulInPlaceTwice"] = (y, w) => y.MulInPlace(w).MulInPlace(w),
    };

    public static TheoryData<string> InPlaceOps => [.. InPlaceCases.Keys];

    /// <summary>y = x * 1; y.op_(w); return y — gradients reach both x and w through the in-place node.</summary>
    [Theory]
    [MemberData(nameof(InPlaceOps))]
    public void InPlace_OnNonLeaf(string op) => Check(xs =>
    {
        var y = xs[0] * 1;
        InPlaceCases[op](y, xs[1]);
        return y;
    }, Randn([2, 3], seed: 90), Randn([2, 3], seed: 91));

    /// <summary>In-place with a broadcast right operand ([2,3] op= [3]).</summary>
    [Theory]
    [MemberData(nameof(InPlaceOps))]
    public void InPlace_BroadcastOperand(string op) => Check(xs =>
    {
        var y = xs[0].Exp();
        y = y * 1;
        InPlaceCases[op](y, xs[1]);
        return y;
    }, Randn([2, 3], seed: 92), Randn([3], seed: 93));

    /// <summary>In-place through a view (a row, a stepped column slice): the base must see the new history.</summary>
    [Theory]
    [MemberData(nameof(InPlaceOps))]
    public void InPlace_ThroughView(string op) => Check(xs =>
    {
        var y = xs[0] * 1;
        InPlaceCases[op](y[1], xs[1]);
        InPlaceCases[op](y[.., TensorIndex.Slice(null, null, 2)], xs[2]);
        return y;
    }, Randn([3, 4], seed: 94), Randn([4], seed: 95), Randn([3, 2], seed: 96));

    [Fact]
    public void InPlace_FillAndZeroThroughView() => Check(x =>
    {
        var y = x * 2;
        y[0].ZeroInPlace();
        y[.., 1].FillInPlace(3);
        return y * x;
    }, Randn([3, 4], seed: 97));

    // ------------------------------------------------------------------ composite

    /// <summary>A small two-layer network with a log-softmax head, to exercise many nodes together.</summary>
    [Fact]
    public void Composite_TwoLayerNetwork() => Check(xs =>
    {
        var (x, w1, w2) = (xs[0], xs[1], xs[2]);
        var h = x.MatMul(w1).Tanh();
        return h.MatMul(w2).LogSoftmax(-1).Mean(0);
    }, Randn([4, 3], seed: 100), Randn([3, 5], seed: 101), Randn([5, 2], seed: 102));

    // ------------------------------------------------------------------ second order (gradgradcheck)

    private static readonly Dictionary<string, (Func<Tensor, Tensor> F, bool PositiveInput)> SecondOrderUnaryCases = new()
    {
        ["Exp"] = (x => x.Exp(), false),
        ["Log"] = (x => x.Log(), true),
        ["Sqrt"] = (x => x.Sqrt(), true),
        ["Tanh"] = (x => x.Tanh(), false),
        ["Sigmoid"] = (x => x.Sigmoid(), false),
        ["Pow3"] = (x => x.Pow(3), false),
        ["Pow2_5"] = (x => x.Pow(2.5), true),
        ["Reciprocal"] = (x => x.Reciprocal(), true),
        ["MulSelf"] = (x => x * x * x, false),
        ["DivSelf"] = (x => x / (x * x + 1), false),
        ["Abs"] = (x => x.Abs() * x, false),
        ["Relu"] = (x => x.Relu() * x, false),
        ["Clamp"] = (x => x.Clamp(-0.5, 0.5) * x, false),
        ["Softmax"] = (x => x.Softmax(-1) * Tensor.From(new[] { 1.0, -2.0, 0.5, 3.0 }), false),
        ["SoftmaxDim0"] = (x => x.Softmax(0) * Tensor.From(new[] { 1.0, -2.0, 0.5, 3.0 }), false),
        ["LogSoftmax"] = (x => x.LogSoftmax(-1) * Tensor.From(new[] { 1.0, -2.0, 0.5, 3.0 }), false),
        ["Norm2"] = (x => x.Norm(2) * x, false),
        ["Norm3"] = (x => x.Norm(3).Pow(2), false),
        ["Max"] = (x => x.Max() * x, false),
        ["MeanDimKeepDim"] = (x => x.Mean(1, keepDim: true).Pow(2) * x, false),
        ["SumDims"] = (x => x.Sum([0, 1]).Exp(), false),
        ["ViewsAndIndexing"] = (x => x.T[1..].Pow(3).Reshape(-1), false),
        ["SteppedSlice"] = (x => x[.., TensorIndex.Slice(null, null, 2)].Tanh(), false),
        ["Expand"] = (x => x[.., 0..1].Expand(3, 4).Sigmoid() * x, false),
        ["Cat"] = (x => Tensor.Cat([x.Exp(), x.Pow(2)], 0), false),
        ["Stack"] = (x => Tensor.Stack([x.Tanh(), x * x], -1), false),
        ["MatMulSelf"] = (x => x.MatMul(x.T).Pow(2), false),
        ["MaskedGet"] = (x => x[x.Detach() > 0].Pow(3), false),
        ["InPlaceOnNonLeaf"] = (x => (x * 1).MulInPlace(x).MulInPlace(x), false),
        ["InPlaceThroughView"] = (x => InPlaceThroughRow(x), false),
        ["MaskedSet"] = (x => MaskedSetNegativesToSquare(x), false),
    };

    /// <summary>y = x * 1; y[0] *= x[1]; y² — a CopySlices node inside a double-backward graph.</summary>
    private static Tensor InPlaceThroughRow(Tensor x)
    {
        var y = x * 1;
        y[0].MulInPlace(x[1]);
        return y.Pow(2);
    }

    /// <summary>y = x * 1; y[x &lt; 0] = (x²)[x &lt; 0]; y³ — an IndexPut node inside a double-backward graph.</summary>
    private static Tensor MaskedSetNegativesToSquare(Tensor x)
    {
        var mask = x.Detach() < 0;
        var y = x * 1;
        y[mask] = (x * x)[mask];
        return y.Pow(3);
    }

    public static TheoryData<string> SecondOrderUnaryOps => [.. SecondOrderUnaryCases.Keys];

    /// <summary>GradCheck of x ↦ ∂(Σ f(x))/∂x built with createGraph: checks the backward of the backward.</summary>
    [Theory]
    [MemberData(nameof(SecondOrderUnaryOps))]
    public void SecondOrder(string op)
    {
        var (f, positive) = SecondOrderUnaryCases[op];
        Check(GradOf(f), positive ? Positive([3, 4], seed: 110) : Randn([3, 4], seed: 110));
    }

    /// <summary>The canonical gradgradcheck example: f(x) = ∂(Σ x³)/∂x = 3x², whose Jacobian is diag(6x).</summary>
    [Fact]
    public void SecondOrder_PowCube() =>
        Check(x => Autograd.Grad([x.Pow(3).Sum()], [x], createGraph: true)[0]!, Randn([4], seed: 111));

    /// <summary>Two-input second order: gradient with respect to x of Σ g(x, y), checked against both x and y.</summary>
    private static readonly Dictionary<string, (Func<Tensor, Tensor, Tensor> F, int[] ShapeX, int[] ShapeY)> SecondOrderBinaryCases = new()
    {
        ["Mul"] = ((x, y) => x * y * x, [2, 3], [3]),
        ["Div"] = ((x, y) => x / (y.Abs() + 0.5) * x, [2, 3], [2, 3]),
        ["DivByTensor"] = ((x, y) => y / (x * x + 1), [2, 3], [2, 1]),
        ["PowTensor"] = ((x, y) => (x.Abs() + 0.5).Pow(y), [3], [3]),
        ["MatMul2D"] = ((x, y) => x.MatMul(y).Pow(2), [3, 4], [4, 2]),
        ["MatMul1D2D"] = ((x, y) => x.MatMul(y).Tanh(), [4], [4, 2]),
        ["MatMulBatched"] = ((x, y) => x.MatMul(y).Sigmoid(), [2, 3, 4], [4, 2]),
        ["Softmax"] = ((x, y) => (x * y).Softmax(-1) * y, [2, 3], [2, 3]),
        ["Exp"] = ((x, y) => (x * y).Exp(), [3], [3]),
        ["Tanh"] = ((x, y) => (x + y).Tanh(), [2, 3], [1, 3]),
        ["Sigmoid"] = ((x, y) => (x - y).Sigmoid(), [2, 3], []),
    };

    public static TheoryData<string> SecondOrderBinaryOps => [.. SecondOrderBinaryCases.Keys];

    [Theory]
    [MemberData(nameof(SecondOrderBinaryOps))]
    public void SecondOrder_TwoInputs(string op)
    {
        var (f, shapeX, shapeY) = SecondOrderBinaryCases[op];
        Check(xs => Autograd.Grad([f(xs[0], xs[1]).Sum()], [xs[0]], createGraph: true)[0]!, Randn(shapeX, seed: 112), Randn(shapeY, seed: 113));
    }

    /// <summary>Third order: GradCheck of the gradient of the gradient.</summary>
    [Theory]
    [InlineData("Exp")]
    [InlineData("Tanh")]
    [InlineData("Sigmoid")]
    [InlineData("Pow3")]
    [InlineData("Softmax")]
    public void ThirdOrder(string op)
    {
        var (f, positive) = SecondOrderUnaryCases[op];
        Check(GradOf(GradOf(f)), positive ? Positive([2, 4], seed: 114) : Randn([2, 4], seed: 114));
    }

    // ------------------------------------------------------------------ GradCheck itself

    /// <summary>
    /// GradCheck must be able to fail: x * x.Detach() has analytical gradient x (the detached factor is a
    /// constant to autograd) but its true derivative is 2x, which finite differences see.
    /// </summary>
    [Fact]
    public void GradCheck_DetectsWrongGradient()
    {
        var x = Randn([3], seed: 120);
        var ex = Assert.Throws<GradCheckException>(() => GradCheck.Check(t => t * t.Detach(), x));
        Assert.Contains("numerical:", ex.Message);
        Assert.Contains("analytical:", ex.Message);
    }

    [Fact]
    public void GradCheck_ReturnsFalseWithoutRaising()
    {
        var x = Randn([3], seed: 121);
        Assert.False(GradCheck.Check(t => t * t.Detach(), x, raiseException: false));
    }

    [Fact]
    public void GradCheck_DetectsWrongGradientOfSecondInput()
    {
        var a = Randn([2], seed: 122);
        var b = Randn([2], seed: 123);
        Assert.Throws<GradCheckException>(() => GradCheck.Check(xs => xs[0] * xs[1] * xs[1].Detach(), a, b));
    }

    [Fact]
    public void GradCheck_RejectsFloat32Inputs()
    {
        var x = Tensor.Randn([3], requiresGrad: true, generator: new Generator(124));
        Assert.Throws<ArgumentException>(() => GradCheck.Check(t => t.Exp(), x));
    }
}
