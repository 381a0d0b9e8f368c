namespace DistGrad.Tests.Ops;

/// <summary>
/// Concrete forward values, gradients, shapes and dtypes of the ops, each compared with what PyTorch 1.13
/// prints for the same program (the Python is quoted in the comments; values are float32 unless a dtype
/// is named). These pin down the conventions that finite differences cannot: edge-point gradients,
/// tie-breaking, storage sharing, version counters and type promotion.
/// </summary>
public class OpSemanticsTests
{
    // ------------------------------------------------------------------ helpers

    /// <summary>A Float32 tensor of the given shape; a leaf requiring grad when asked.</summary>
    private static Tensor F32(float[] data, int[] shape, bool requiresGrad = false) => Tensor.From(data, shape, requiresGrad);

    private static Tensor Leaf(float[] data, params int[] shape) => F32(data, shape, requiresGrad: true);

    private static Tensor Leaf(params float[] data) => Tensor.From(data, requiresGrad: true);

    /// <summary>0, 1, ..., n-1 as Float32 in the given shape (torch.arange(n.).reshape(shape)).</summary>
    private static Tensor ArangeF(int[] shape, bool requiresGrad = false)
    {
        var data = Enumerable.Range(0, shape.Aggregate(1, (a, b) => a * b)).Select(i => (float)i).ToArray();
        return F32(data, shape, requiresGrad);
    }

    private static bool Close(double expected, double actual) =>
        expected.Equals(actual) || Math.Abs(expected - actual) <= 1e-5 + (1e-5 * Math.Abs(expected));

    /// <summary>Asserts the shape and every element (row-major) within 1e-5 absolute + 1e-5 relative.</summary>
    private static void AssertValues(Tensor? actual, int[] shape, params double[] expected)
    {
        Assert.NotNull(actual);
        Assert.Equal(shape, actual.Shape);
        var values = actual.ToArray<double>();
        Assert.Equal(expected.Length, values.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(
                Close(expected[i], values[i]),
                $"element {i}: expected {expected[i]}, actual {values[i]}; expected [{string.Join(", ", expected)}], actual [{string.Join(", ", values)}]");
        }
    }

    private static void AssertBools(Tensor actual, params bool[] expected)
    {
        Assert.Equal(DType.Bool, actual.DType);
        Assert.Equal(expected, actual.ToArray<bool>());
    }

    // ------------------------------------------------------------------ broadcasting backward

    /// <summary>
    /// a = [[1],[2],[3]], b = [[1,2,4,8]]; z = a*b + a/b; z.backward(arange(12).reshape(3,4)/10).
    /// Each gradient is summed back to its input's shape.
    /// </summary>
    [Fact]
    public void Broadcast_ColumnTimesRow_GradsSummedToEachShape()
    {
        var a = Leaf([1, 2, 3], 3, 1);
        var b = Leaf([1, 2, 4, 8], 1, 4);
        var z = (a * b) + (a / b);
        AssertValues(z, [3, 4], 2, 2.5, 4.25, 8.125, 4, 5, 8.5, 16.25, 6, 7.5, 12.75, 24.375);

        z.Backward(ArangeF([3, 4]) / 10);
        AssertValues(a.Grad, [3, 1], 3.5375001, 10.2875, 17.0375);
        AssertValues(b.Grad, [1, 4], 0.0, 2.85, 4.125, 4.921875);
    }

    /// <summary>a [2,3], b [3]: (a*b - b).sum() — b's gradient sums over the broadcast leading dim.</summary>
    [Fact]
    public void Broadcast_MatrixAndVector()
    {
        var a = Leaf([1, 2, 3, 4, 5, 6], 2, 3);
        var b = Leaf(10, 20, 30);
        ((a * b) - b).Sum().Backward();
        AssertValues(a.Grad, [2, 3], 10, 20, 30, 10, 20, 30);
        AssertValues(b.Grad, [3], 3, 5, 7);
    }

    /// <summary>a [2,3] times a 0-dim s = 2.5: (a*s).pow(2).sum() — s.grad is 0-dim, the total over all elements.</summary>
    [Fact]
    public void Broadcast_TensorTimesZeroDimTensor()
    {
        var a = Leaf([1, 2, 3, 4, 5, 6], 2, 3);
        var s = Tensor.Scalar(2.5f, requiresGrad: true);
        (a * s).Pow(2).Sum().Backward();
        AssertValues(a.Grad, [2, 3], 12.5, 25, 37.5, 50, 62.5, 75);
        AssertValues(s.Grad, [], 455);
    }

    /// <summary>[2,1,3] + [4,1] → [2,4,3]; (z**2).sum() — both size-1 dims and the missing leading dim are summed.</summary>
    [Fact]
    public void Broadcast_RankThreeAndRankTwo()
    {
        var a = Leaf([1, 2, 3, -1, 0.5f, 2], 2, 1, 3);
        var b = Leaf([1, 2, 3, 4], 4, 1);
        var z = a + b;
        Assert.Equal([2, 4, 3], z.Shape);
        z.Pow(2).Sum().Backward();
        AssertValues(a.Grad, [2, 1, 3], 28, 36, 44, 12, 24, 36);
        AssertValues(b.Grad, [4, 1], 27, 39, 51, 63);
    }

    /// <summary>x = [1,2,4]; (2 - x + 3/x*2).sum() — C# numbers on either side.</summary>
    [Fact]
    public void Broadcast_ScalarOperandsOnEitherSide()
    {
        var x = Leaf(1, 2, 4);
        ((2 - x) + (3 / x * 2)).Sum().Backward();
        AssertValues(x.Grad, [3], -7, -2.5, -1.375);
    }

    // ------------------------------------------------------------------ matmul backward

    private static Tensor MatA(bool requiresGrad = true) => (ArangeF([2, 3]) / 4 - 0.5).Detach().SetRequiresGrad(requiresGrad);

    private static Tensor MatB(bool requiresGrad = true) => (ArangeF([3, 2]) / 3 - 1).Detach().SetRequiresGrad(requiresGrad);

    /// <summary>A = arange(6).reshape(2,3)/4-.5, B = arange(6).reshape(3,2)/3-1; (A@B).backward([[1,2],[3,4]]).</summary>
    [Fact]
    public void MatMul_2Dx2D_Backward()
    {
        var a = MatA();
        var b = MatB();
        var c = a.MatMul(b);
        AssertValues(c, [2, 2], 0.58333331, 0.33333331, -0.16666663, 0.33333331);
        c.Backward(F32([1, 2, 3, 4], [2, 2]));
        AssertValues(a.Grad, [2, 3], -2.3333333, -0.33333331, 1.6666666, -5.6666665, -1, 3.6666665);
        AssertValues(b.Grad, [3, 2], 0.25, 0, 1.25, 1.5, 2.25, 3);
    }

    /// <summary>v = [1,-2,3]; (v@B).backward([1,2]).</summary>
    [Fact]
    public void MatMul_1Dx2D_Backward()
    {
        var v = Leaf(1, -2, 3);
        var b = MatB();
        var c = v.MatMul(b);
        AssertValues(c, [2], 0.66666675, 1.3333333);
        c.Backward(Tensor.From(new[] { 1f, 2f }));
        AssertValues(v.Grad, [3], -2.3333333, -0.33333331, 1.6666666);
        AssertValues(b.Grad, [3, 2], 1, 2, -2, -4, 3, 6);
    }

    /// <summary>(A@v).sum().</summary>
    [Fact]
    public void MatMul_2Dx1D_Backward()
    {
        var a = MatA();
        var v = Leaf(1, -2, 3);
        var c = a.MatMul(v);
        AssertValues(c, [2], 0, 1.5);
        c.Sum().Backward();
        AssertValues(a.Grad, [2, 3], 1, -2, 3, 1, -2, 3);
        AssertValues(v.Grad, [3], -0.25, 0.25, 0.75);
    }

    /// <summary>A = arange(12).reshape(2,2,3)/6-1 (batched) @ B [3,2]: ((A@B)**2).sum() — B's grad sums over the batch.</summary>
    [Fact]
    public void MatMul_3Dx2D_BroadcastBackward()
    {
        var a = (ArangeF([2, 2, 3]) / 6 - 1).Detach().SetRequiresGrad();
        var b = MatB();
        var c = a.MatMul(b);
        AssertValues(c, [2, 2, 2], 1.0555556, 0.22222224, 0.55555552, 0.22222219, 0.055555597, 0.22222224, -0.44444439, 0.22222221);
        c.Pow(2).Sum().Backward();
        AssertValues(a.Grad, [2, 2, 3], -2.4074075, -0.7037037, 1.0000001, -1.4074073, -0.37037033, 0.66666663, -0.40740749, -0.037037063, 0.33333337, 0.59259248, 0.29629624, 0);
        AssertValues(b.Grad, [3, 2], -3.1111112, -0.44444448, -2.7037036, -0.14814818, -2.2962961, 0.14814815);
    }

    /// <summary>[1,2,3]@[4,-5,6] = 12, a 0-dim result; each grad is the other vector.</summary>
    [Fact]
    public void MatMul_1Dx1D_Backward()
    {
        var u = Leaf(1, 2, 3);
        var w = Leaf(4, -5, 6);
        var d = u.MatMul(w);
        AssertValues(d, [], 12);
        d.Backward();
        AssertValues(u.Grad, [3], 4, -5, 6);
        AssertValues(w.Grad, [3], 1, 2, 3);
    }

    // ------------------------------------------------------------------ reductions: values and shapes

    public static TheoryData<string, int[], double[]> ReductionValues => new()
    {
        // x = torch.arange(24.).reshape(2,3,4)
        { "Sum(1)", [2, 4], [12, 15, 18, 21, 48, 51, 54, 57] },
        { "Sum(1, keepDim)", [2, 1, 4], [12, 15, 18, 21, 48, 51, 54, 57] },
        { "Sum([0,2])", [3], [60, 92, 124] },
        { "Sum([0,2], keepDim)", [1, 3, 1], [60, 92, 124] },
        { "Mean(-1)", [2, 3], [1.5, 5.5, 9.5, 13.5, 17.5, 21.5] },
        { "Mean(-1, keepDim)", [2, 3, 1], [1.5, 5.5, 9.5, 13.5, 17.5, 21.5] },
        { "Mean([0,1])", [4], [10, 11, 12, 13] },
        { "Sum()", [], [276] },
        { "Mean()", [], [11.5] },
    };

    private static Tensor Reduce(string op, Tensor x) => op switch
    {
        "Sum(1)" => x.Sum(1),
        "Sum(1, keepDim)" => x.Sum(1, keepDim: true),
        "Sum([0,2])" => x.Sum([0, 2]),
        "Sum([0,2], keepDim)" => x.Sum([0, 2], keepDim: true),
        "Mean(-1)" => x.Mean(-1),
        "Mean(-1, keepDim)" => x.Mean(-1, keepDim: true),
        "Mean([0,1])" => x.Mean([0, 1]),
        "Sum()" => x.Sum(),
        "Mean()" => x.Mean(),
        _ => throw new ArgumentException(op),
    };

    [Theory]
    [MemberData(nameof(ReductionValues))]
    public void Reduction_ValuesAndShapes(string op, int[] shape, double[] expected) =>
        AssertValues(Reduce(op, ArangeF([2, 3, 4])), shape, expected);

    /// <summary>(x.mean(1, keepdim=True) * arange(8).reshape(2,1,4)).sum(): each input gets w/3 of its column.</summary>
    [Fact]
    public void Reduction_MeanKeepDim_Backward()
    {
        var x = ArangeF([2, 3, 4], requiresGrad: true);
        (x.Mean(1, keepDim: true) * ArangeF([2, 1, 4])).Sum().Backward();
        double[] row0 = [0, 1 / 3.0, 2 / 3.0, 1], row1 = [4 / 3.0, 5 / 3.0, 2, 7 / 3.0];
        AssertValues(x.Grad, [2, 3, 4], [.. row0, .. row0, .. row0, .. row1, .. row1, .. row1]);
    }

    /// <summary>x.sum((0,2)).backward([1,2,3]): each element gets the gradient of its dim-1 slot.</summary>
    [Fact]
    public void Reduction_SumOverTwoDims_Backward()
    {
        var x = ArangeF([2, 3, 4], requiresGrad: true);
        x.Sum([0, 2]).Backward(Tensor.From(new[] { 1f, 2f, 3f }));
        double[] half = [1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3];
        AssertValues(x.Grad, [2, 3, 4], [.. half, .. half]);
    }

    /// <summary>x.sum(-1).backward(arange(6).reshape(2,3)): the reduced last dim is re-expanded.</summary>
    [Fact]
    public void Reduction_SumLastDim_Backward()
    {
        var x = ArangeF([2, 3, 4], requiresGrad: true);
        x.Sum(-1).Backward(ArangeF([2, 3]));
        AssertValues(x.Grad, [2, 3, 4], Enumerable.Range(0, 24).Select(i => (double)(i / 4)).ToArray());
    }

    /// <summary>x = arange(6).reshape(2,3): x.t().sum(0) = [3,12], x.t().mean(1) = [1.5,2.5,3.5], x[:, ::2].sum(1) = [2,8], x.t()[1:].max() = 5.</summary>
    [Fact]
    public void Reduction_OfNonContiguousViews()
    {
        var x = ArangeF([2, 3]);
        AssertValues(x.T.Sum(0), [2], 3, 12);
        AssertValues(x.T.Mean(1), [3], 1.5, 2.5, 3.5);
        AssertValues(x[.., TensorIndex.Slice(null, null, 2)].Sum(1), [2], 2, 8);
        AssertValues(x.T[1..].Max(), [], 5);
    }

    /// <summary>
    /// A 0-dim tensor accepts dim 0 / -1 as PyTorch does: x = tensor(2.): x.sum(0) = 2 (shape [], also with
    /// keepdim), x.mean(-1) = 2, x.softmax(0) = 1, x.log_softmax(-1) = 0; (x.sum(0)*3).backward() → 3.
    /// </summary>
    [Fact]
    public void Reduction_OfZeroDimTensor_WithDim()
    {
        var x = Tensor.Scalar(2f, requiresGrad: true);
        AssertValues(x.Sum(0), [], 2);
        AssertValues(x.Sum(0, keepDim: true), [], 2);
        AssertValues(x.Mean(-1), [], 2);
        AssertValues(x.Softmax(0), [], 1);
        AssertValues(x.LogSoftmax(-1), [], 0);
        (x.Sum(0) * 3).Backward();
        AssertValues(x.Grad, [], 3);
    }

    /// <summary>torch.tensor([1,2,3]).sum() is int64; so is the sum of a bool tensor ([T,F,T] → 2).</summary>
    [Fact]
    public void Reduction_SumOfIntegersAndBoolsIsInt64()
    {
        var ints = Tensor.From(new long[] { 1, 2, 3 }).Sum();
        Assert.Equal(DType.Int64, ints.DType);
        Assert.Equal(6, ints.Item());

        var bools = Tensor.From(new[] { true, false, true }).Sum();
        Assert.Equal(DType.Int64, bools.DType);
        Assert.Equal(2, bools.Item());
    }

    // ------------------------------------------------------------------ max, min, norm and their tie rules

    [Fact]
    public void Max_NoTies_GradientToTheArgmax()
    {
        var x = Leaf(1, 5, -2, 3);
        var m = x.Max();
        AssertValues(m, [], 5);
        m.Backward();
        AssertValues(x.Grad, [4], 0, 1, 0, 0);
    }

    [Fact]
    public void Min_NoTies_GradientToTheArgmin()
    {
        var x = Leaf(1, 5, -2, 3);
        x.Min().Backward();
        AssertValues(x.Grad, [4], 0, 0, 1, 0);
    }

    /// <summary>torch.tensor([1.,3.,3.]).max().backward() → grad [0, .5, .5]: ties share the gradient evenly.</summary>
    [Fact]
    public void Max_Ties_SplitEvenly()
    {
        var x = Leaf(1, 3, 3);
        x.Max().Backward();
        AssertValues(x.Grad, [3], 0, 0.5, 0.5);
    }

    /// <summary>[[3,7],[7,7]]: (x.max()*2).backward() → 2/3 to each of the three sevens.</summary>
    [Fact]
    public void Max_ThreeWayTie_InMatrix()
    {
        var x = Leaf([3, 7, 7, 7], 2, 2);
        (x.Max() * 2).Backward();
        AssertValues(x.Grad, [2, 2], 0, 0.66666669, 0.66666669, 0.66666669);
    }

    [Fact]
    public void Min_Ties_SplitEvenly()
    {
        var x = Leaf(2, 1, 1, 5);
        x.Min().Backward();
        AssertValues(x.Grad, [4], 0, 0.5, 0.5, 0);
    }

    /// <summary>x = [3,-4,0,1]; x.norm(p) and its gradient for p = 1, 2, 3, 1.5, 0.5, inf (the zero entry's gradient is 0 for every p).</summary>
    [Theory]
    [InlineData(1.0, 8.0, new[] { 1.0, -1.0, 0.0, 1.0 })]
    [InlineData(2.0, 5.0990195, new[] { 0.58834839, -0.78446454, 0.0, 0.19611613 })]
    [InlineData(3.0, 4.5143576, new[] { 0.4416219, -0.78510559, 0.0, 0.049069099 })]
    [InlineData(1.5, 5.8629174, new[] { 0.71532553, -0.8259868, 0.0, 0.4129934 })]
    [InlineData(0.5, 22.392305, new[] { 2.7320509, -2.3660254, 0.0, 4.7320509 })]
    [InlineData(double.PositiveInfinity, 4.0, new[] { 0.0, -1.0, 0.0, 0.0 })]
    public void Norm_ValueAndGradient(double p, double expectedNorm, double[] expectedGrad)
    {
        var x = Leaf(3, -4, 0, 1);
        var n = x.Norm(p);
        AssertValues(n, [], expectedNorm);
        n.Backward();
        AssertValues(x.Grad, [4], expectedGrad);
    }

    /// <summary>x = [0,2,-1]: x.norm(4).backward() → [0, .95554990, -.11944374]; the zero entry's gradient is 0, not 0·0^(p-2).</summary>
    [Fact]
    public void Norm4_WithZeroEntry_GradIsZeroThere()
    {
        var x = Leaf(0, 2, -1);
        x.Norm(4).Backward();
        AssertValues(x.Grad, [3], 0, 0.9555499, -0.11944374);
    }

    /// <summary>torch.tensor([3.,-3.,1.]).norm(inf).backward() → [0.5, -0.5, 0]: ties in |x| split, with x's sign.</summary>
    [Fact]
    public void Norm_Infinity_TiesSplitEvenlyWithSign()
    {
        var x = Leaf(3, -3, 1);
        x.Norm(double.PositiveInfinity).Backward();
        AssertValues(x.Grad, [3], 0.5, -0.5, 0);
    }

    /// <summary>torch.zeros(3, requires_grad=True).norm().backward() → norm 0 and grad [0,0,0] (not NaN).</summary>
    [Fact]
    public void Norm2_AtZeroVector_GradIsZero()
    {
        var x = Tensor.Zeros([3], requiresGrad: true);
        var n = x.Norm(2);
        AssertValues(n, [], 0);
        n.Backward();
        AssertValues(x.Grad, [3], 0, 0, 0);
    }

    /// <summary>torch.zeros(3, requires_grad=True).norm(3).backward() → [0,0,0] as well.</summary>
    [Fact]
    public void Norm3_AtZeroVector_GradIsZero()
    {
        var x = Tensor.Zeros([3], requiresGrad: true);
        x.Norm(3).Backward();
        AssertValues(x.Grad, [3], 0, 0, 0);
    }

    // ------------------------------------------------------------------ gradients at edge points

    /// <summary>relu'(0) = 0: torch.tensor([-1.,0.,2.]).relu().sum().backward() → [0, 0, 1].</summary>
    [Fact]
    public void Relu_GradientAtZeroIsZero()
    {
        var x = Leaf(-1, 0, 2);
        x.Relu().Sum().Backward();
        AssertValues(x.Grad, [3], 0, 0, 1);
    }

    /// <summary>abs'(0) = 0: torch.tensor([-2.,0.,3.]).abs().sum().backward() → [-1, 0, 1].</summary>
    [Fact]
    public void Abs_GradientAtZeroIsZero()
    {
        var x = Leaf(-2, 0, 3);
        x.Abs().Sum().Backward();
        AssertValues(x.Grad, [3], -1, 0, 1);
    }

    /// <summary>x.pow(0) is all ones and its gradient is 0 everywhere, also at x = 0 (where 0·0^-1 would be NaN).</summary>
    [Fact]
    public void Pow0_AtZero_GradIsZero()
    {
        var x = Leaf(0, 1, 2);
        var y = x.Pow(0);
        AssertValues(y, [3], 1, 1, 1);
        y.Sum().Backward();
        AssertValues(x.Grad, [3], 0, 0, 0);
    }

    [Fact]
    public void Pow2_AtZero_GradIsZero()
    {
        var x = Leaf(0, 1, 2);
        x.Pow(2).Sum().Backward();
        AssertValues(x.Grad, [3], 0, 2, 4);
    }

    /// <summary>
    /// x = [0,0,4], e = [0,2,.5]: x.pow(e) = [1,0,2]; dx = [0,0,.25] (0 where e = 0, even at x = 0);
    /// de = [0,0,2 log 4] (x^e log x taken as 0 where x = 0 and e ≥ 0).
    /// </summary>
    [Fact]
    public void PowTensor_AtZeroBase_GradsFollowPyTorchConvention()
    {
        var x = Leaf(0, 0, 4);
        var e = Leaf(0, 2, 0.5f);
        var r = x.Pow(e);
        AssertValues(r, [3], 1, 0, 2);
        r.Sum().Backward();
        AssertValues(x.Grad, [3], 0, 0, 0.25);
        AssertValues(e.Grad, [3], 0, 0, 2.7725887);
    }

    /// <summary>clamp(-.5,.5) passes the gradient at the bounds themselves: [-1,-.5,0,.5,1] → [0,1,1,1,0].</summary>
    [Fact]
    public void Clamp_GradientPassesAtTheBounds()
    {
        var x = Leaf(-1, -0.5f, 0, 0.5f, 1);
        var y = x.Clamp(-0.5, 0.5);
        AssertValues(y, [5], -0.5, -0.5, 0, 0.5, 0.5);
        y.Sum().Backward();
        AssertValues(x.Grad, [5], 0, 1, 1, 1, 0);
    }

    [Fact]
    public void ClampMinOnly_GradientPassesAtTheBound()
    {
        var x = Leaf(-1, 0, 1);
        x.Clamp(min: 0).Sum().Backward();
        AssertValues(x.Grad, [3], 0, 1, 1);
    }

    /// <summary>sqrt'(0) is +inf in PyTorch (1 / (2·0)), not NaN.</summary>
    [Fact]
    public void Sqrt_GradientAtZeroIsInfinity()
    {
        var x = Leaf(0, 4);
        x.Sqrt().Sum().Backward();
        AssertValues(x.Grad, [2], double.PositiveInfinity, 0.25);
    }

    // ------------------------------------------------------------------ softmax

    /// <summary>x = [[1,2,3],[1,1,1]]: softmax and log_softmax along dims -1 and 0.</summary>
    [Fact]
    public void Softmax_AndLogSoftmax_Values()
    {
        var x = F32([1, 2, 3, 1, 1, 1], [2, 3]);
        AssertValues(x.Softmax(-1), [2, 3], 0.090030573, 0.24472848, 0.66524094, 0.33333334, 0.33333334, 0.33333334);
        AssertValues(x.Softmax(0), [2, 3], 0.5, 0.7310586, 0.88079703, 0.5, 0.26894143, 0.11920292);
        AssertValues(x.LogSoftmax(-1), [2, 3], -2.4076059, -1.4076059, -0.40760595, -1.0986123, -1.0986123, -1.0986123);
        AssertValues(x.LogSoftmax(0), [2, 3], -0.69314718, -0.31326166, -0.12692805, -0.69314718, -1.3132616, -2.1269281);
    }

    /// <summary>Large logits must not overflow: softmax([1000,1001]) = [.26894143,.7310586]; log_softmax([-1000,0]) = [-1000, 0].</summary>
    [Fact]
    public void Softmax_IsNumericallyStable()
    {
        var x = Tensor.From(new[] { 1000f, 1001f });
        AssertValues(x.Softmax(0), [2], 0.26894143, 0.7310586);
        AssertValues(x.LogSoftmax(0), [2], -1.3132616, -0.31326166);
        AssertValues(Tensor.From(new[] { -1000f, 0f }).LogSoftmax(0), [2], -1000, 0);
    }

    [Fact]
    public void Softmax_Backward()
    {
        var x = Leaf([1, 2, 3, 1, 1, 1], 2, 3);
        x.Softmax(-1).Backward(F32([1, 0, 0, 0, 2, -1], [2, 3]));
        AssertValues(x.Grad, [2, 3], 0.081925072, -0.022033045, -0.059892025, -0.11111112, 0.55555558, -0.44444448);
    }

    [Fact]
    public void LogSoftmax_Dim0_Backward()
    {
        var x = Leaf([1, 2, 3, 1, 1, 1], 2, 3);
        x.LogSoftmax(0).Backward(F32([1, 0, 0, 0, 2, -1], [2, 3]));
        AssertValues(x.Grad, [2, 3], 0.5, -1.4621172, 0.88079703, -0.5, 1.4621172, -0.88079709);
    }

    // ------------------------------------------------------------------ joins, expand, masks

    /// <summary>cat([a [2,2], b [1,2]]).backward(arange(6).reshape(3,2)): each input gets its rows.</summary>
    [Fact]
    public void Cat_Backward_SplitsTheGradient()
    {
        var a = Leaf([1, 2, 3, 4], 2, 2);
        var b = Leaf([5, 6], 1, 2);
        Tensor.Cat([a, b], 0).Backward(ArangeF([3, 2]));
        AssertValues(a.Grad, [2, 2], 0, 1, 2, 3);
        AssertValues(b.Grad, [1, 2], 4, 5);
    }

    /// <summary>torch.cat([f32 [1,2], f64 [3]]) is float64; backward([1,2,3]) gives a float32 [1,2] and b float64 [3].</summary>
    [Fact]
    public void Cat_MixedDTypes_PromotesAndGradsKeepLeafDTypes()
    {
        var a = Leaf(1, 2);
        var b = Tensor.From(new[] { 3.0 }, requiresGrad: true);
        var c = Tensor.Cat([a, b], 0);
        Assert.Equal(DType.Float64, c.DType);
        AssertValues(c, [3], 1, 2, 3);
        c.Backward(Tensor.From(new[] { 1.0, 2.0, 3.0 }));
        Assert.Equal(DType.Float32, a.Grad!.DType);
        Assert.Equal(DType.Float64, b.Grad!.DType);
        AssertValues(a.Grad, [2], 1, 2);
        AssertValues(b.Grad, [1], 3);
    }

    /// <summary>stack([a, b], 1) = [[1,3],[2,4]]; backward([[1,2],[3,4]]) gives a the first column, b the second.</summary>
    [Fact]
    public void Stack_Dim1_ValuesAndBackward()
    {
        var a = Leaf(1, 2);
        var b = Leaf(3, 4);
        var s = Tensor.Stack([a, b], 1);
        AssertValues(s, [2, 2], 1, 3, 2, 4);
        s.Backward(F32([1, 2, 3, 4], [2, 2]));
        AssertValues(a.Grad, [2], 1, 3);
        AssertValues(b.Grad, [2], 2, 4);
    }

    /// <summary>[[1],[2]].expand(3,2,4) with a ones gradient: each element was used 12 times.</summary>
    [Fact]
    public void Expand_Backward_SumsOverRepeats()
    {
        var a = Leaf([1, 2], 2, 1);
        a.Expand(3, 2, 4).Backward(Tensor.Ones([3, 2, 4]));
        AssertValues(a.Grad, [2, 1], 12, 12);
    }

    /// <summary>x[x > 0] for [[1,-2,3],[-4,5,-6]] → [1,3,5]; the gradient scatters back to those places.</summary>
    [Fact]
    public void MaskedGet_ValuesAndBackward()
    {
        var x = Leaf([1, -2, 3, -4, 5, -6], 2, 3);
        var s = x[x > 0];
        AssertValues(s, [3], 1, 3, 5);
        (s * Tensor.From(new[] { 1f, 2f, 3f })).Sum().Backward();
        AssertValues(x.Grad, [2, 3], 1, 0, 2, 0, 3, 0);
    }

    /// <summary>y = x*2; y[y &lt; 0] = 0; (y*y).sum() — the assigned places get no gradient.</summary>
    [Fact]
    public void MaskedSet_ValuesAndBackward()
    {
        var x = Leaf([1, -2, 3, -4, 5, -6], 2, 3);
        var y = x * 2;
        y[y < 0] = 0f;
        AssertValues(y, [2, 3], 2, 0, 6, 0, 10, 0);
        (y * y).Sum().Backward();
        AssertValues(x.Grad, [2, 3], 8, 0, 24, 0, 40, 0);
    }

    // ------------------------------------------------------------------ views share storage; in-place

    [Fact]
    public void View_InPlaceThroughView_IsSeenByBase()
    {
        var x = ArangeF([2, 3]);
        x.View(3, 2).MulInPlace(10);
        AssertValues(x, [2, 3], 0, 10, 20, 30, 40, 50);
    }

    [Fact]
    public void Select_FillThroughRow_IsSeenByBase()
    {
        var x = ArangeF([2, 3]);
        x[0].FillInPlace(7);
        AssertValues(x, [2, 3], 7, 7, 7, 3, 4, 5);
    }

    [Fact]
    public void Transpose_SeesChangesToBase()
    {
        var x = ArangeF([2, 3]);
        var t = x.T;
        x.AddInPlace(1);
        AssertValues(t, [3, 2], 1, 4, 2, 5, 3, 6);
    }

    /// <summary>x.t()[2].zero_() zeroes x's last column.</summary>
    [Fact]
    public void Transpose_InPlaceThroughIt_IsSeenByBase()
    {
        var x = ArangeF([2, 3]);
        x.T[2].ZeroInPlace();
        AssertValues(x, [2, 3], 0, 1, 0, 3, 4, 0);
    }

    /// <summary>x.add_(1) → 1; x[1].mul_(2) → 2 for both base and view; x.detach().zero_() → 3 (one shared counter).</summary>
    [Fact]
    public void VersionCounter_IncrementsAndIsSharedByViewsAndDetach()
    {
        var x = ArangeF([2, 3]);
        Assert.Equal(0, x.Version);
        x.AddInPlace(1);
        Assert.Equal(1, x.Version);
        var v = x[1];
        v.MulInPlace(2);
        Assert.Equal(2, x.Version);
        Assert.Equal(2, v.Version);
        x.Detach().ZeroInPlace();
        Assert.Equal(3, x.Version);
        AssertValues(x, [2, 3], 0, 0, 0, 0, 0, 0);
    }

    /// <summary>
    /// a = [[1,2,3],[4,5,6]] leaf, w = [2,-1,.5] leaf; y = a*1; y[0].mul_(w); (y*y).sum().backward().
    /// y's grad_fn is CopySlices; a.grad = [[8,4,1.5],[8,10,12]], w.grad = [4,-8,9].
    /// </summary>
    [Fact]
    public void InPlaceThroughView_Autograd_ReachesBaseAndOperand()
    {
        var a = Leaf([1, 2, 3, 4, 5, 6], 2, 3);
        var w = Leaf(2, -1, 0.5f);
        var y = a * 1;
        y[0].MulInPlace(w);
        Assert.Equal("CopySlices", y.GradFn!.Name);
        AssertValues(y, [2, 3], 2, -2, 1.5, 4, 5, 6);
        (y * y).Sum().Backward();
        AssertValues(a.Grad, [2, 3], 8, 4, 1.5, 8, 10, 12);
        AssertValues(w.Grad, [3], 4, -8, 9);
    }

    /// <summary>y = a.exp()*1; y[:, ::2].zero_(); y.sum().backward() → exp(a) only in the untouched column.</summary>
    [Fact]
    public void InPlaceThroughSteppedView_ZeroCutsGradient()
    {
        var a = Leaf([1, 2, 3, 4, 5, 6], 2, 3);
        var y = a.Exp() * 1;
        y[.., TensorIndex.Slice(null, null, 2)].ZeroInPlace();
        y.Sum().Backward();
        AssertValues(a.Grad, [2, 3], 0, 7.3890562, 0, 0, 148.41316, 0);
    }

    [Fact]
    public void InPlace_OnLeafRequiringGrad_Throws()
    {
        var x = Leaf(1, 2);
        Assert.Throws<InvalidOperationException>(() => x.MulInPlace(2));
    }

    /// <summary>
    /// y = x.exp() saves its output; with torch.no_grad(): y.mul_(2); y.sum().backward() raises
    /// "... [torch.FloatTensor [3]], which is output 0 of ExpBackward0, is at version 1; expected version 0 instead."
    /// </summary>
    [Fact]
    public void SavedOutputModifiedUnderNoGrad_BackwardThrowsNamingNode()
    {
        var x = Leaf(1, 2, 3);
        var y = x.Exp();
        using (Autograd.NoGrad())
        {
            y.MulInPlace(2);
        }

        var ex = Assert.Throws<InvalidOperationException>(() => y.Sum().Backward());
        AssertVersionMessage(ex.Message, "ExpBackward0");
    }

    /// <summary>Same through y.detach().zero_() (detach shares the version counter): PyTorch names ExpBackward0.</summary>
    [Fact]
    public void SavedOutputModifiedThroughDetach_BackwardThrowsNamingNode()
    {
        var x = Leaf(1, 2, 3);
        var y = x.Exp();
        y.Detach().ZeroInPlace();
        var ex = Assert.Throws<InvalidOperationException>(() => y.Sum().Backward());
        AssertVersionMessage(ex.Message, "ExpBackward0");
    }

    /// <summary>
    /// y = x.exp(); y.mul_(2) with grad on; y.sum().backward(): PyTorch still names ExpBackward0 — the saved
    /// tensor is ExpBackward0's own output, reported as such even though y's grad_fn is now MulBackward0.
    /// </summary>
    [Fact]
    public void SavedOutputModifiedInPlaceWithGrad_BackwardThrowsNamingProducingNode()
    {
        var x = Leaf(1, 2, 3);
        var y = x.Exp();
        y.MulInPlace(2);
        var ex = Assert.Throws<InvalidOperationException>(() => y.Sum().Backward());
        AssertVersionMessage(ex.Message, "ExpBackward0");
    }

    /// <summary>
    /// y = x*2; z = y.pow(2) saves its input y; y.add_(1); z.sum().backward(): a saved input is reported
    /// with y's current grad_fn, "output 0 of AddBackward0".
    /// </summary>
    [Fact]
    public void SavedInputModifiedInPlace_BackwardThrowsNamingCurrentNode()
    {
        var x = Leaf(1, 2, 3);
        var y = x * 2;
        var z = y.Pow(2);
        y.AddInPlace(1);
        var ex = Assert.Throws<InvalidOperationException>(() => z.Sum().Backward());
        AssertVersionMessage(ex.Message, "AddBackward0");
    }

    /// <summary>y = x.sigmoid(); y[0].mul_(2); y.sum().backward() → "output 0 of SigmoidBackward0" in PyTorch.</summary>
    [Fact]
    public void SavedOutputModifiedThroughView_BackwardThrowsNamingProducingNode()
    {
        var x = Leaf(1, 2, 3);
        var y = x.Sigmoid();
        y[0].MulInPlace(2);
        var ex = Assert.Throws<InvalidOperationException>(() => y.Sum().Backward());
        AssertVersionMessage(ex.Message, "SigmoidBackward0");
    }

    /// <summary>PyTorch's wording: "... [torch.FloatTensor [3]], which is output 0 of NODE, is at version 1; expected version 0 instead."</summary>
    private static void AssertVersionMessage(string message, string node)
    {
        foreach (var part in new[] { "modified by an inplace operation", "is at version 1; expected version 0", $"output 0 of {node}" })
        {
            Assert.True(message.Contains(part, StringComparison.Ordinal), $"expected \"{part}\" in: {message}");
        }
    }

    // ------------------------------------------------------------------ type promotion

    /// <summary>(operation, expected dtype, expected values) — each line is the PyTorch expression in the name.</summary>
    public static TheoryData<string, DType, double[]> PromotionCases => new()
    {
        { "tensor([1,2,3]) * 2.5", DType.Float32, [2.5, 5, 7.5] },
        { "tensor([1.,2.]) * tensor([3.,4.], float64)", DType.Float64, [3, 8] },
        { "tensor([1.,2.]) * tensor(3., float64)", DType.Float32, [3, 6] },
        { "tensor([1,2,3]) / tensor([2,2,2])", DType.Float32, [0.5, 1, 1.5] },
        { "tensor([1,2,3]) / 2", DType.Float32, [0.5, 1, 1.5] },
        { "tensor([1,2,3]) * 2", DType.Int64, [2, 4, 6] },
        { "tensor([1.,2.]) + 1.5", DType.Float32, [2.5, 3.5] },
        { "tensor([1,2]) + tensor(0.5, float64)", DType.Float64, [1.5, 2.5] },
        { "tensor([1,2]) + tensor([0.5,0.25])", DType.Float32, [1.5, 2.25] },
        { "tensor([True,False]) * tensor([3,4])", DType.Int64, [3, 0] },
        { "tensor(2., float64) * tensor(3.)", DType.Float64, [6] },
        { "tensor(2) * tensor([1.5])", DType.Float32, [3] },
        { "tensor([1.5], float64) * 2", DType.Float64, [3] },
    };

    private static Tensor Promote(string expression) => expression switch
    {
        "tensor([1,2,3]) * 2.5" => Tensor.From(new long[] { 1, 2, 3 }) * 2.5,
        "tensor([1.,2.]) * tensor([3.,4.], float64)" => Tensor.From(new[] { 1f, 2f }) * Tensor.From(new[] { 3.0, 4.0 }),
        "tensor([1.,2.]) * tensor(3., float64)" => Tensor.From(new[] { 1f, 2f }) * Tensor.Scalar(3.0),
        "tensor([1,2,3]) / tensor([2,2,2])" => Tensor.From(new long[] { 1, 2, 3 }) / Tensor.From(new long[] { 2, 2, 2 }),
        "tensor([1,2,3]) / 2" => Tensor.From(new long[] { 1, 2, 3 }) / 2,
        "tensor([1,2,3]) * 2" => Tensor.From(new long[] { 1, 2, 3 }) * 2,
        "tensor([1.,2.]) + 1.5" => Tensor.From(new[] { 1f, 2f }) + 1.5,
        "tensor([1,2]) + tensor(0.5, float64)" => Tensor.From(new long[] { 1, 2 }) + Tensor.Scalar(0.5),
        "tensor([1,2]) + tensor([0.5,0.25])" => Tensor.From(new long[] { 1, 2 }) + Tensor.From(new[] { 0.5f, 0.25f }),
        "tensor([True,False]) * tensor([3,4])" => Tensor.From(new[] { true, false }) * Tensor.From(new long[] { 3, 4 }),
        "tensor(2., float64) * tensor(3.)" => Tensor.Scalar(2.0) * Tensor.Scalar(3f),
        "tensor(2) * tensor([1.5])" => Tensor.Scalar(2L) * Tensor.From(new[] { 1.5f }),
        "tensor([1.5], float64) * 2" => Tensor.From(new[] { 1.5 }) * 2,
        _ => throw new ArgumentException(expression),
    };

    [Theory]
    [MemberData(nameof(PromotionCases))]
    public void TypePromotion(string expression, DType expectedDType, double[] expected)
    {
        var result = Promote(expression);
        Assert.Equal(expectedDType, result.DType);
        Assert.Equal(expected, result.ToArray<double>());
    }

    /// <summary>Unary ops on torch.tensor([1,4]) (int64): floating functions give float32, the others keep int64.</summary>
    public static TheoryData<string, DType, double[]> IntegerUnaryCases => new()
    {
        { "Exp", DType.Float32, [2.7182817, 54.598152] },
        { "Sqrt", DType.Float32, [1, 2] },
        { "Log", DType.Float32, [0, 1.3862944] },
        { "Tanh", DType.Float32, [0.76159418, 0.99932933] },
        { "Sigmoid", DType.Float32, [0.7310586, 0.98201376] },
        { "Reciprocal", DType.Float32, [1, 0.25] },
        { "Pow(0.5)", DType.Float32, [1, 2] },
        { "3 / x", DType.Float32, [3, 0.75] },
        { "Pow(2)", DType.Int64, [1, 16] },
        { "Abs", DType.Int64, [1, 4] },
        { "Neg", DType.Int64, [-1, -4] },
        { "Relu", DType.Int64, [1, 4] },
        { "2 - x", DType.Int64, [1, -2] },
    };

    private static Tensor ApplyUnary(string op, Tensor x) => op switch
    {
        "Exp" => x.Exp(),
        "Sqrt" => x.Sqrt(),
        "Log" => x.Log(),
        "Tanh" => x.Tanh(),
        "Sigmoid" => x.Sigmoid(),
        "Reciprocal" => x.Reciprocal(),
        "Pow(0.5)" => x.Pow(0.5),
        "3 / x" => 3 / x,
        "Pow(2)" => x.Pow(2),
        "Abs" => x.Abs(),
        "Neg" => x.Neg(),
        "Relu" => x.Relu(),
        "2 - x" => 2 - x,
        _ => throw new ArgumentException(op),
    };

    [Theory]
    [MemberData(nameof(IntegerUnaryCases))]
    public void TypePromotion_UnaryOnInt64(string op, DType expectedDType, double[] expected)
    {
        var result = ApplyUnary(op, Tensor.From(new long[] { 1, 4 }));
        Assert.Equal(expectedDType, result.DType);
        AssertValues(result, [2], expected);
    }

    /// <summary>In-place keeps the destination dtype: float32 add_ float64 stays float32 ([1.5, 2.25]).</summary>
    [Fact]
    public void InPlace_KeepsDestinationDType()
    {
        var x = Tensor.From(new[] { 1f, 2f });
        x.AddInPlace(Tensor.From(new[] { 0.5, 0.25 }));
        Assert.Equal(DType.Float32, x.DType);
        AssertValues(x, [2], 1.5, 2.25);
    }

    /// <summary>torch.tensor([1,2]).mul_(2.5) and .div_(tensor([2,2])): "result type Float can't be cast to the desired output type Long".</summary>
    [Fact]
    public void InPlace_FloatResultIntoInt64_Throws()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => Tensor.From(new long[] { 1, 2 }).MulInPlace(2.5));
        Assert.Contains("can't be cast to the desired output type", ex.Message);
        Assert.Throws<InvalidOperationException>(() => Tensor.From(new long[] { 1, 2 }).DivInPlace(Tensor.From(new long[] { 2, 2 })));
    }

    /// <summary>x float32 * y float64 → float64 result; each leaf's grad has the leaf's own dtype.</summary>
    [Fact]
    public void MixedDTypeBackward_GradHasLeafDType()
    {
        var x = Leaf(1, 2);
        var y = Tensor.From(new[] { 3.0, 4.0 }, requiresGrad: true);
        var z = x * y;
        Assert.Equal(DType.Float64, z.DType);
        z.Sum().Backward();
        Assert.Equal(DType.Float32, x.Grad!.DType);
        Assert.Equal(DType.Float64, y.Grad!.DType);
        AssertValues(x.Grad, [2], 3, 4);
        AssertValues(y.Grad, [2], 1, 2);
    }

    // ------------------------------------------------------------------ conversions

    /// <summary>x float32; d = x.double() (ToCopyBackward0); (d*d).sum().backward() → x.grad float32 [2,4,6].</summary>
    [Fact]
    public void Double_IsDifferentiable_GradKeepsLeafDType()
    {
        var x = Leaf(1, 2, 3);
        var d = x.Double();
        Assert.Equal(DType.Float64, d.DType);
        Assert.Equal("ToCopyBackward0", d.GradFn!.Name);
        (d * d).Sum().Backward();
        Assert.Equal(DType.Float32, x.Grad!.DType);
        AssertValues(x.Grad, [3], 2, 4, 6);
    }

    /// <summary>x float64; x.float().pow(3).sum().backward() → x.grad float64 [3,12,27].</summary>
    [Fact]
    public void Float_IsDifferentiable_GradKeepsLeafDType()
    {
        var x = Tensor.From(new[] { 1.0, 2.0, 3.0 }, requiresGrad: true);
        var f = x.Float();
        Assert.Equal(DType.Float32, f.DType);
        f.Pow(3).Sum().Backward();
        Assert.Equal(DType.Float64, x.Grad!.DType);
        AssertValues(x.Grad, [3], 3, 12, 27);
    }

    /// <summary>x.float() on a float32 tensor returns x itself (PyTorch: `x.float() is x`).</summary>
    [Fact]
    public void Float_OnFloat32_ReturnsSameTensor()
    {
        var x = Tensor.From(new[] { 1f, 2f });
        Assert.Same(x, x.Float());
    }

    // ------------------------------------------------------------------ comparisons

    [Fact]
    public void Comparisons_ProduceBool_AndDoNotRequireGrad()
    {
        var x = Leaf(-1, 0, 2);
        AssertBools(x > 0, false, false, true);
        AssertBools(x >= 0, false, true, true);
        AssertBools(x < 0, true, false, false);
        AssertBools(x <= 0, true, true, false);
        AssertBools(0 < x, false, false, true);
        AssertBools(0.0 < x, false, false, true);
        AssertBools(0f >= x, true, true, false);
        Assert.False((x > 0).RequiresGrad);
    }

    [Fact]
    public void Comparisons_BetweenTensors_AndEqNe()
    {
        var x = Tensor.From(new[] { -1f, 0f, 2f });
        var y = Tensor.From(new[] { 0f, 0f, 3f });
        AssertBools(x < y, true, false, true);
        AssertBools(x.Eq(y), false, true, false);
        AssertBools(x.Ne(y), true, false, true);
        AssertBools(Tensor.From(new long[] { 1, 2, 3 }) > 1.5, false, true, true);
    }

    /// <summary>(x > 0).float() is a Float32 0/1 mask; ((x>0).float()*x*x).sum() has gradient [0,0,4].</summary>
    [Fact]
    public void ComparisonMask_FloatConversion_AndUseInGraph()
    {
        var x = Leaf(-1, 0, 2);
        var mask = (x > 0).Float();
        Assert.Equal(DType.Float32, mask.DType);
        AssertValues(mask, [3], 0, 0, 1);
        (mask * x * x).Sum().Backward();
        AssertValues(x.Grad, [3], 0, 0, 4);
    }
}
