using DistGrad.Kernels;

namespace DistGrad.Tests.Kernels.Ilgpu;

[Collection(IlgpuCollection.Name)]
public class ElementwiseKernelTests
{
    public static TheoryData<DType, int> FloatSizes() => new()
    {
        { DType.Float32, 1 },
        { DType.Float32, 7 },
        { DType.Float32, 33 },
        { DType.Float64, 7 },
    };

    [Theory]
    [MemberData(nameof(FloatSizes))]
    public void Unary_ops_match_the_cpu_on_contiguous_and_strided_inputs(DType dtype, int n)
    {
        var x = OnBoth.Randn(n, dtype, 3, n);
        var tol = OnBoth.Tol(dtype) * 4;
        Func<Tensor, Tensor>[] ops =
        [
            t => -t, t => t.Exp(), t => t.Abs().Log(), t => t.Abs().Sqrt(), t => t.Abs(), t => t.Tanh(), t => t.Sigmoid(),
            t => t.Relu(), t => t.Sign(), t => t.Reciprocal(), t => t.Pow(2), t => t.Abs().Pow(1.5), t => t.Clamp(-0.5, 0.25),
            t => t.Clamp(min: 0.1), t => t.IsNan(),
        ];
        foreach (var op in ops)
        {
            OnBoth.Check(i => op(i[0]), tol, x);
            OnBoth.Check(i => op(i[0].T), tol, x);
        }
    }

    [Fact]
    public void Int64_and_bool_unary_ops_match_the_cpu()
    {
        var x = Tensor.From(new long[] { -3, 0, 5, 7, -1, 2, 9 });
        OnBoth.Check(i => -i[0], 0, x);
        OnBoth.Check(i => i[0].Abs(), 0, x);
        OnBoth.Check(i => i[0].Sign(), 0, x);
        OnBoth.Check(i => i[0].Relu(), 0, x);
        OnBoth.Check(i => i[0].Clamp(-1, 4), 0, x);
        OnBoth.Check(i => (i[0] > 0).LogicalNot(), 0, x);
        OnBoth.Check(i => i[0].IsNan(), 0, x);
    }

    [Fact]
    public void Nan_relu_and_clamp_keep_nan()
    {
        var x = Tensor.From(new[] { float.NaN, -0f, 2f, float.NegativeInfinity });
        OnBoth.Check(i => i[0].Relu(), 0, x);
        OnBoth.Check(i => i[0].Clamp(-1, 1), 0, x);
        OnBoth.Check(i => i[0].IsNan(), 0, x);
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    [InlineData(DType.Int64)]
    public void Binary_ops_broadcast_and_promote_like_the_cpu(DType dtype)
    {
        var a = dtype == DType.Int64 ? Tensor.RandInt(-5, 6, [4, 7], new Generator(1)) : OnBoth.Randn(1, dtype, 4, 7);
        var b = dtype == DType.Int64 ? Tensor.RandInt(1, 6, [7], new Generator(2)) : OnBoth.Randn(2, dtype, 7);
        var tol = OnBoth.Tol(dtype);
        Func<Tensor, Tensor, Tensor>[] ops =
        [
            (x, y) => x + y, (x, y) => x - y, (x, y) => x * y, (x, y) => x * 2.5, (x, y) => 1.5 - x,
            (x, y) => x.Abs().Pow(y.Abs().Clamp(max: 3)),
            (x, y) => x < y, (x, y) => x <= y, (x, y) => x > y, (x, y) => x >= y, (x, y) => x.Eq(y), (x, y) => x.Ne(y),
            (x, y) => x.LogicalAnd(y), (x, y) => x.LogicalOr(y),
        ];
        foreach (var op in ops)
        {
            OnBoth.Check(i => op(i[0], i[1]), tol, a, b);
            OnBoth.Check(i => op(i[0].T.Unsqueeze(0), i[1].Unsqueeze(1)), tol, a, b);
        }

        if (dtype != DType.Int64)
        {
            OnBoth.Check(i => i[0] / i[1], tol, a, b);
        }

        foreach (var op in new[] { BinaryOp.Maximum, BinaryOp.Minimum })
        {
            OnBoth.Check(i => i[0].Kernels.Binary(op, i[0], i[1].Expand(i[0].Shape)), tol, a, b);
        }
    }

    [Fact]
    public void Maximum_and_minimum_let_nan_through()
    {
        var a = Tensor.From(new[] { float.NaN, 1f, 2f, -0f });
        var b = Tensor.From(new[] { 1f, float.NaN, 3f, 0f });
        foreach (var op in new[] { BinaryOp.Maximum, BinaryOp.Minimum })
        {
            OnBoth.Check(i => i[0].Kernels.Binary(op, i[0], i[1]), 0, a, b);
        }
    }

    [Fact]
    public void Bool_ops_and_conversions_match_the_cpu()
    {
        var x = OnBoth.Randn(3, DType.Float32, 5, 3);
        var mask = x > 0;
        OnBoth.Check(i => (i[0] > 0).LogicalXor(i[0] < 0.5), 0, x);
        OnBoth.Check(i => (i[0] > 0) + (i[0] < 0.5), 0, x);
        OnBoth.Check(i => i[0].Double(), 0, x);
        OnBoth.Check(i => (i[0] * 10).Long(), 0, x);
        OnBoth.Check(i => (i[0] * 10).Long().Float(), 0, x);
        OnBoth.Check(i => i[0].Bool(), 0, mask.Float());
        OnBoth.Check(i => i[0].Float(), 0, mask);
        OnBoth.Check(i => i[0].Double().Float().T.Contiguous(), 0, x);
    }

    [Fact]
    public void Fill_copy_and_in_place_ops_write_through_strided_views()
    {
        var x = OnBoth.Randn(4, DType.Float32, 6, 5);
        OnBoth.Check(
            i =>
            {
                var t = i[0].Clone();
                t.Slice(1, 1, 5, 2).FillInPlace(3);
                t.Select(0, 2).CopyFrom(Tensor.Ones([5], device: t.Device) * 7);
                t.Slice(0, 0, 6, 3).MulInPlace(-1);
                return t;
            },
            0,
            x);
        OnBoth.Check(_ => Tensor.Zeros([3, 4], device: _.Length > 0 ? _[0].Device : Device.Cpu) + 1, 0, x);
    }
}
