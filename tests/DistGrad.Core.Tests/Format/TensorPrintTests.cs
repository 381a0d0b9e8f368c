namespace DistGrad.Tests.Format;

/// <summary>
/// Tensor.ToString() against PyTorch 1.13's str(tensor) with default print options. Every expected string
/// was printed by PyTorch 1.13 (torch/_tensor_str.py) for the tensor named in the test's summary, built
/// the same way (same float32/float64 inputs, or arange then the same arithmetic).
/// </summary>
public class TensorPrintTests
{
    /// <summary>PyTorch: <c>torch.tensor(2.)</c></summary>
    [Fact]
    public void Scalar_IntegerValued()
    {
        var t = Tensor.Scalar(2f);
        Assert.Equal(
            "tensor(2.)",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor(1.) / 3</c></summary>
    [Fact]
    public void Scalar_OneThird()
    {
        var t = Tensor.Scalar(1f) / 3;
        Assert.Equal(
            "tensor(0.3333)",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor(-0.5)</c></summary>
    [Fact]
    public void Scalar_Negative()
    {
        var t = Tensor.Scalar(-0.5f);
        Assert.Equal(
            "tensor(-0.5000)",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor(0.)</c></summary>
    [Fact]
    public void Scalar_Zero()
    {
        var t = Tensor.Scalar(0f);
        Assert.Equal(
            "tensor(0.)",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor(-7.)</c></summary>
    [Fact]
    public void Scalar_NegativeInteger()
    {
        var t = Tensor.Scalar(-7f);
        Assert.Equal(
            "tensor(-7.)",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor(0.00001)</c></summary>
    [Fact]
    public void Scalar_SmallIsScientific()
    {
        var t = Tensor.Scalar(0.00001f);
        Assert.Equal(
            "tensor(1.0000e-05)",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor(1e9)</c></summary>
    [Fact]
    public void Scalar_LargeIsScientific()
    {
        var t = Tensor.Scalar(1e9f);
        Assert.Equal(
            "tensor(1.0000e+09)",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor(nan)</c></summary>
    [Fact]
    public void Scalar_NaN()
    {
        var t = Tensor.Scalar(float.NaN);
        Assert.Equal(
            "tensor(nan)",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor(-inf)</c></summary>
    [Fact]
    public void Scalar_NegativeInfinity()
    {
        var t = Tensor.Scalar(float.NegativeInfinity);
        Assert.Equal(
            "tensor(-inf)",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor(2., dtype=f64)</c></summary>
    [Fact]
    public void Scalar_Float64()
    {
        var t = Tensor.Scalar(2.0);
        Assert.Equal(
            "tensor(2., dtype=torch.float64)",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor(1., dtype=f64) / 3</c></summary>
    [Fact]
    public void Scalar_Float64_OneThird()
    {
        var t = Tensor.Scalar(1.0) / 3;
        Assert.Equal(
            "tensor(0.3333, dtype=torch.float64)",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor(5)</c></summary>
    [Fact]
    public void Scalar_Int64()
    {
        var t = Tensor.Scalar(5L);
        Assert.Equal(
            "tensor(5)",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor(-12)</c></summary>
    [Fact]
    public void Scalar_Int64_Negative()
    {
        var t = Tensor.Scalar(-12L);
        Assert.Equal(
            "tensor(-12)",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor(True)</c></summary>
    [Fact]
    public void Scalar_Bool()
    {
        var t = Tensor.Scalar(true);
        Assert.Equal(
            "tensor(True)",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([0.5, 1.25, 2.75])</c></summary>
    [Fact]
    public void Vector_NonInteger()
    {
        var t = Tensor.From(new[] { 0.5f, 1.25f, 2.75f });
        Assert.Equal(
            "tensor([0.5000, 1.2500, 2.7500])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([1., 2.])</c></summary>
    [Fact]
    public void Vector_IntegerValued()
    {
        var t = Tensor.From(new[] { 1f, 2f });
        Assert.Equal(
            "tensor([1., 2.])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([-1., 2., -30.])</c></summary>
    [Fact]
    public void Vector_IntegerValued_NegativeAndWide()
    {
        var t = Tensor.From(new[] { -1f, 2f, -30f });
        Assert.Equal(
            "tensor([ -1.,   2., -30.])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([-1.5, 2.25, -0.125])</c></summary>
    [Fact]
    public void Vector_Negatives()
    {
        var t = Tensor.From(new[] { -1.5f, 2.25f, -0.125f });
        Assert.Equal(
            "tensor([-1.5000,  2.2500, -0.1250])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([1., 100.5])</c></summary>
    [Fact]
    public void Vector_MixedWidths()
    {
        var t = Tensor.From(new[] { 1f, 100.5f });
        Assert.Equal(
            "tensor([  1.0000, 100.5000])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([-123.25, 0.5, 7.])</c></summary>
    [Fact]
    public void Vector_MixedWidths_Negative()
    {
        var t = Tensor.From(new[] { -123.25f, 0.5f, 7f });
        Assert.Equal(
            "tensor([-123.2500,    0.5000,    7.0000])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.zeros(3)</c></summary>
    [Fact]
    public void Vector_Zeros()
    {
        var t = Tensor.Zeros([3]);
        Assert.Equal(
            "tensor([0., 0., 0.])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([0., 0.5])</c></summary>
    [Fact]
    public void Vector_ZeroAndFraction()
    {
        var t = Tensor.From(new[] { 0f, 0.5f });
        Assert.Equal(
            "tensor([0.0000, 0.5000])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([-0., 1.])</c></summary>
    [Fact]
    public void Vector_NegativeZero()
    {
        var t = Tensor.From(new[] { -0f, 1f });
        Assert.Equal(
            "tensor([-0., 1.])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.arange(5.) / 7</c></summary>
    [Fact]
    public void Vector_ArangeDividedBySeven()
    {
        var t = Tensor.Arange(0, 5).Float() / 7;
        Assert.Equal(
            "tensor([0.0000, 0.1429, 0.2857, 0.4286, 0.5714])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([1., 1000.])</c></summary>
    [Fact]
    public void Vector_RatioExactly1000_StaysFixed()
    {
        var t = Tensor.From(new[] { 1f, 1000f });
        Assert.Equal(
            "tensor([   1., 1000.])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([1e8])</c></summary>
    [Fact]
    public void Vector_Exactly1e8_StaysFixed()
    {
        var t = Tensor.From(new[] { 1e8f });
        Assert.Equal(
            "tensor([100000000.])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.ones(4)</c></summary>
    [Fact]
    public void Vector_Ones()
    {
        var t = Tensor.Ones([4]);
        Assert.Equal(
            "tensor([1., 1., 1., 1.])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.full((2,), 0.5)</c></summary>
    [Fact]
    public void Vector_Full()
    {
        var t = Tensor.Full([2], 0.5);
        Assert.Equal(
            "tensor([0.5000, 0.5000])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([1e-5, 1.])</c></summary>
    [Fact]
    public void Sci_WideRange()
    {
        var t = Tensor.From(new[] { 1e-5f, 1f });
        Assert.Equal(
            "tensor([1.0000e-05, 1.0000e+00])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([1e9])</c></summary>
    [Fact]
    public void Sci_Large()
    {
        var t = Tensor.From(new[] { 1e9f });
        Assert.Equal(
            "tensor([1.0000e+09])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([0.00001])</c></summary>
    [Fact]
    public void Sci_Small()
    {
        var t = Tensor.From(new[] { 0.00001f });
        Assert.Equal(
            "tensor([1.0000e-05])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([1e9, 1.])</c></summary>
    [Fact]
    public void Sci_LargeAndOne()
    {
        var t = Tensor.From(new[] { 1e9f, 1f });
        Assert.Equal(
            "tensor([1.0000e+09, 1.0000e+00])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([1., 10000.])</c></summary>
    [Fact]
    public void Sci_IntegerValuedRatioAbove1000()
    {
        var t = Tensor.From(new[] { 1f, 10000f });
        Assert.Equal(
            "tensor([1.0000e+00, 1.0000e+04])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([0.5, 1000.5])</c></summary>
    [Fact]
    public void Sci_NonIntegerRatioAbove1000()
    {
        var t = Tensor.From(new[] { 0.5f, 1000.5f });
        Assert.Equal(
            "tensor([5.0000e-01, 1.0005e+03])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([0.0001, 0.5])</c></summary>
    [Fact]
    public void Sci_Float32TenThousandthIsBelow1e4()
    {
        var t = Tensor.From(new[] { 0.0001f, 0.5f });
        Assert.Equal(
            "tensor([1.0000e-04, 5.0000e-01])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([-1e-5, 2.5, -300.])</c></summary>
    [Fact]
    public void Sci_Negative()
    {
        var t = Tensor.From(new[] { -1e-5f, 2.5f, -300f });
        Assert.Equal(
            "tensor([-1.0000e-05,  2.5000e+00, -3.0000e+02])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([1e-30, 1e30])</c></summary>
    [Fact]
    public void Sci_HugeExponent()
    {
        var t = Tensor.From(new[] { 1e-30f, 1e30f });
        Assert.Equal(
            "tensor([1.0000e-30, 1.0000e+30])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([1e-200, 1e200], dtype=f64)</c></summary>
    [Fact]
    public void Sci_Float64_ThreeDigitExponent()
    {
        var t = Tensor.From(new[] { 1e-200, 1e200 });
        Assert.Equal(
            "tensor([1.0000e-200, 1.0000e+200], dtype=torch.float64)",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([1., nan, 2.])</c></summary>
    [Fact]
    public void NonFinite_IntegerValuedWithNaN()
    {
        var t = Tensor.From(new[] { 1f, float.NaN, 2f });
        Assert.Equal(
            "tensor([1., nan, 2.])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([0.5, nan, -inf, inf])</c></summary>
    [Fact]
    public void NonFinite_FractionWithNaNAndInf()
    {
        var t = Tensor.From(new[] { 0.5f, float.NaN, float.NegativeInfinity, float.PositiveInfinity });
        Assert.Equal(
            "tensor([0.5000,    nan,   -inf,    inf])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([nan, nan])</c></summary>
    [Fact]
    public void NonFinite_AllNaN()
    {
        var t = Tensor.From(new[] { float.NaN, float.NaN });
        Assert.Equal(
            "tensor([nan, nan])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([inf, -inf])</c></summary>
    [Fact]
    public void NonFinite_OnlyInfinities()
    {
        var t = Tensor.From(new[] { float.PositiveInfinity, float.NegativeInfinity });
        Assert.Equal(
            "tensor([inf, -inf])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([1e-5, nan, 1., -inf])</c></summary>
    [Fact]
    public void NonFinite_InScientificMode()
    {
        var t = Tensor.From(new[] { 1e-5f, float.NaN, 1f, float.NegativeInfinity });
        Assert.Equal(
            "tensor([1.0000e-05,        nan, 1.0000e+00,       -inf])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([100., inf, 1.])</c></summary>
    [Fact]
    public void NonFinite_WideIntegerValuedWithInf()
    {
        var t = Tensor.From(new[] { 100f, float.PositiveInfinity, 1f });
        Assert.Equal(
            "tensor([100.,  inf,   1.])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([1.5, 2.], dtype=f64)</c></summary>
    [Fact]
    public void Float64_Vector()
    {
        var t = Tensor.From(new[] { 1.5, 2.0 });
        Assert.Equal(
            "tensor([1.5000, 2.0000], dtype=torch.float64)",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([1., 2.], dtype=f64)</c></summary>
    [Fact]
    public void Float64_IntegerValued()
    {
        var t = Tensor.From(new[] { 1.0, 2.0 });
        Assert.Equal(
            "tensor([1., 2.], dtype=torch.float64)",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([1/3, 2/3], dtype=f64)</c></summary>
    [Fact]
    public void Float64_Thirds()
    {
        var t = Tensor.From(new[] { 1.0 / 3, 2.0 / 3 });
        Assert.Equal(
            "tensor([0.3333, 0.6667], dtype=torch.float64)",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([1e-10, 1.], dtype=f64)</c></summary>
    [Fact]
    public void Float64_Scientific()
    {
        var t = Tensor.From(new[] { 1e-10, 1.0 });
        Assert.Equal(
            "tensor([1.0000e-10, 1.0000e+00], dtype=torch.float64)",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([[1., 2.5], [-3., 4.]], dtype=f64)</c></summary>
    [Fact]
    public void Float64_Matrix()
    {
        var t = Tensor.From(new double[,] { { 1, 2.5 }, { -3, 4 } });
        Assert.Equal(
            """
            tensor([[ 1.0000,  2.5000],
                    [-3.0000,  4.0000]], dtype=torch.float64)
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([0.5, 1.]).double()</c></summary>
    [Fact]
    public void Float64_ViaDouble()
    {
        var t = Tensor.From(new[] { 0.5f, 1f }).Double();
        Assert.Equal(
            "tensor([0.5000, 1.0000], dtype=torch.float64)",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([3, 0, 7])</c></summary>
    [Fact]
    public void Int64_Vector()
    {
        var t = Tensor.From(new long[] { 3, 0, 7 });
        Assert.Equal(
            "tensor([3, 0, 7])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([-10, 200, 3])</c></summary>
    [Fact]
    public void Int64_NegativeAndWide()
    {
        var t = Tensor.From(new long[] { -10, 200, 3 });
        Assert.Equal(
            "tensor([-10, 200,   3])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([10000000000, 1])</c></summary>
    [Fact]
    public void Int64_Large()
    {
        var t = Tensor.From(new long[] { 10000000000, 1 });
        Assert.Equal(
            "tensor([10000000000,           1])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([1, 2, 3])</c></summary>
    [Fact]
    public void Int64_FromIntArray()
    {
        var t = Tensor.From(new[] { 1, 2, 3 });
        Assert.Equal(
            "tensor([1, 2, 3])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([[1, 22], [333, 4]])</c></summary>
    [Fact]
    public void Int64_Matrix()
    {
        var t = Tensor.From(new long[,] { { 1, 22 }, { 333, 4 } });
        Assert.Equal(
            """
            tensor([[  1,  22],
                    [333,   4]])
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.arange(0, 10)</c></summary>
    [Fact]
    public void Int64_Arange()
    {
        var t = Tensor.Arange(0, 10);
        Assert.Equal(
            "tensor([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.zeros(3, dtype=torch.long)</c></summary>
    [Fact]
    public void Int64_Zeros()
    {
        var t = Tensor.Zeros([3], DType.Int64);
        Assert.Equal(
            "tensor([0, 0, 0])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([1.7, -2.5]).long()</c></summary>
    [Fact]
    public void Int64_ViaLong()
    {
        var t = Tensor.From(new[] { 1.7f, -2.5f }).Long();
        Assert.Equal(
            "tensor([ 1, -2])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([True, False, True])</c></summary>
    [Fact]
    public void Bool_Vector()
    {
        var t = Tensor.From(new[] { true, false, true });
        Assert.Equal(
            "tensor([ True, False,  True])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([False, False])</c></summary>
    [Fact]
    public void Bool_AllFalse()
    {
        var t = Tensor.From(new[] { false, false });
        Assert.Equal(
            "tensor([False, False])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([1., -2., 3.]) &gt; 0</c></summary>
    [Fact]
    public void Bool_FromComparison()
    {
        var t = Tensor.From(new[] { 1f, -2f, 3f }) > 0;
        Assert.Equal(
            "tensor([ True, False,  True])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([[True, False], [False, True]])</c></summary>
    [Fact]
    public void Bool_Matrix()
    {
        var t = Tensor.From(new[] { true, false, false, true }, [2, 2]);
        Assert.Equal(
            """
            tensor([[ True, False],
                    [False,  True]])
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([[1., 2.], [3., 4.]])</c></summary>
    [Fact]
    public void Matrix_IntegerValued()
    {
        var t = Tensor.From(new float[,] { { 1, 2 }, { 3, 4 } });
        Assert.Equal(
            """
            tensor([[1., 2.],
                    [3., 4.]])
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([[0.5, -1.25], [3., 4.125]])</c></summary>
    [Fact]
    public void Matrix_NonInteger()
    {
        var t = Tensor.From(new float[,] { { 0.5f, -1.25f }, { 3f, 4.125f } });
        Assert.Equal(
            """
            tensor([[ 0.5000, -1.2500],
                    [ 3.0000,  4.1250]])
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([[1., 2., 3.], [4., 5., 6.]]).t()</c></summary>
    [Fact]
    public void Matrix_Transposed()
    {
        var t = Tensor.From(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } }).T;
        Assert.Equal(
            """
            tensor([[1., 4.],
                    [2., 5.],
                    [3., 6.]])
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([[1.5, 2.]])</c></summary>
    [Fact]
    public void Matrix_SingleRow()
    {
        var t = Tensor.From(new float[,] { { 1.5f, 2f } });
        Assert.Equal(
            "tensor([[1.5000, 2.0000]])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([[1e-5, 1.], [2., 3.]])</c></summary>
    [Fact]
    public void Matrix_Scientific()
    {
        var t = Tensor.From(new float[,] { { 1e-5f, 1f }, { 2f, 3f } });
        Assert.Equal(
            """
            tensor([[1.0000e-05, 1.0000e+00],
                    [2.0000e+00, 3.0000e+00]])
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.arange(12.).reshape(2, 2, 3)</c></summary>
    [Fact]
    public void Cube_Arange()
    {
        var t = Tensor.Arange(0, 12).Float().Reshape(2, 2, 3);
        Assert.Equal(
            """
            tensor([[[ 0.,  1.,  2.],
                     [ 3.,  4.,  5.]],

                    [[ 6.,  7.,  8.],
                     [ 9., 10., 11.]]])
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>(torch.arange(24.) / 7).reshape(2, 3, 4)</c></summary>
    [Fact]
    public void Cube_ArangeDividedBySeven()
    {
        var t = (Tensor.Arange(0, 24).Float() / 7).Reshape(2, 3, 4);
        Assert.Equal(
            """
            tensor([[[0.0000, 0.1429, 0.2857, 0.4286],
                     [0.5714, 0.7143, 0.8571, 1.0000],
                     [1.1429, 1.2857, 1.4286, 1.5714]],

                    [[1.7143, 1.8571, 2.0000, 2.1429],
                     [2.2857, 2.4286, 2.5714, 2.7143],
                     [2.8571, 3.0000, 3.1429, 3.2857]]])
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([[[1., 2.], [3., 4.]], [[5., 6.], [7., 8.]]])</c></summary>
    [Fact]
    public void Cube_FromArray()
    {
        var t = Tensor.From(new float[,,] { { { 1, 2 }, { 3, 4 } }, { { 5, 6 }, { 7, 8 } } });
        Assert.Equal(
            """
            tensor([[[1., 2.],
                     [3., 4.]],

                    [[5., 6.],
                     [7., 8.]]])
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.arange(8).reshape(2, 2, 2)</c></summary>
    [Fact]
    public void Cube_Int64()
    {
        var t = Tensor.Arange(0, 8).Reshape(2, 2, 2);
        Assert.Equal(
            """
            tensor([[[0, 1],
                     [2, 3]],

                    [[4, 5],
                     [6, 7]]])
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.arange(16.).reshape(2, 2, 2, 2)</c></summary>
    [Fact]
    public void FourDim_Arange()
    {
        var t = Tensor.Arange(0, 16).Float().Reshape(2, 2, 2, 2);
        Assert.Equal(
            """
            tensor([[[[ 0.,  1.],
                      [ 2.,  3.]],

                     [[ 4.,  5.],
                      [ 6.,  7.]]],


                    [[[ 8.,  9.],
                      [10., 11.]],

                     [[12., 13.],
                      [14., 15.]]]])
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.ones(1, 1, 3)</c></summary>
    [Fact]
    public void Matrix_SizeOneDims()
    {
        var t = Tensor.Ones([1, 1, 3]);
        Assert.Equal(
            "tensor([[[1., 1., 1.]]])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.arange(30.) / 7</c></summary>
    [Fact]
    public void Wrap_ArangeThirtyDividedBySeven()
    {
        var t = Tensor.Arange(0, 30).Float() / 7;
        Assert.Equal(
            """
            tensor([0.0000, 0.1429, 0.2857, 0.4286, 0.5714, 0.7143, 0.8571, 1.0000, 1.1429,
                    1.2857, 1.4286, 1.5714, 1.7143, 1.8571, 2.0000, 2.1429, 2.2857, 2.4286,
                    2.5714, 2.7143, 2.8571, 3.0000, 3.1429, 3.2857, 3.4286, 3.5714, 3.7143,
                    3.8571, 4.0000, 4.1429])
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.arange(50.)</c></summary>
    [Fact]
    public void Wrap_IntegerValuedFifty()
    {
        var t = Tensor.Arange(0, 50).Float();
        Assert.Equal(
            """
            tensor([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12., 13.,
                    14., 15., 16., 17., 18., 19., 20., 21., 22., 23., 24., 25., 26., 27.,
                    28., 29., 30., 31., 32., 33., 34., 35., 36., 37., 38., 39., 40., 41.,
                    42., 43., 44., 45., 46., 47., 48., 49.])
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.arange(100)</c></summary>
    [Fact]
    public void Wrap_Int64Hundred()
    {
        var t = Tensor.Arange(0, 100);
        Assert.Equal(
            """
            tensor([ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14, 15, 16, 17,
                    18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35,
                    36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53,
                    54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71,
                    72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89,
                    90, 91, 92, 93, 94, 95, 96, 97, 98, 99])
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.arange(1., 21.) ** 4 / 1e5</c></summary>
    [Fact]
    public void Wrap_ScientificRow()
    {
        var t = Tensor.Arange(1, 21).Float().Pow(4) / 1e5;
        Assert.Equal(
            """
            tensor([1.0000e-05, 1.6000e-04, 8.1000e-04, 2.5600e-03, 6.2500e-03, 1.2960e-02,
                    2.4010e-02, 4.0960e-02, 6.5610e-02, 1.0000e-01, 1.4641e-01, 2.0736e-01,
                    2.8561e-01, 3.8416e-01, 5.0625e-01, 6.5536e-01, 8.3521e-01, 1.0498e+00,
                    1.3032e+00, 1.6000e+00])
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>(torch.arange(40.) / 7).reshape(2, 20)</c></summary>
    [Fact]
    public void Wrap_MatrixRows()
    {
        var t = (Tensor.Arange(0, 40).Float() / 7).Reshape(2, 20);
        Assert.Equal(
            """
            tensor([[0.0000, 0.1429, 0.2857, 0.4286, 0.5714, 0.7143, 0.8571, 1.0000, 1.1429,
                     1.2857, 1.4286, 1.5714, 1.7143, 1.8571, 2.0000, 2.1429, 2.2857, 2.4286,
                     2.5714, 2.7143],
                    [2.8571, 3.0000, 3.1429, 3.2857, 3.4286, 3.5714, 3.7143, 3.8571, 4.0000,
                     4.1429, 4.2857, 4.4286, 4.5714, 4.7143, 4.8571, 5.0000, 5.1429, 5.2857,
                     5.4286, 5.5714]])
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([i % 3 == 0 for i in range(20)])</c></summary>
    [Fact]
    public void Wrap_BoolVector()
    {
        var t = Tensor.From(Enumerable.Range(0, 20).Select(i => i % 3 == 0).ToArray());
        Assert.Equal(
            """
            tensor([ True, False, False,  True, False, False,  True, False, False,  True,
                    False, False,  True, False, False,  True, False, False,  True, False])
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.arange(30., dtype=f64) / 7</c></summary>
    [Fact]
    public void Wrap_Float64()
    {
        var t = Tensor.Arange(0, 30).Double() / 7;
        Assert.Equal(
            """
            tensor([0.0000, 0.1429, 0.2857, 0.4286, 0.5714, 0.7143, 0.8571, 1.0000, 1.1429,
                    1.2857, 1.4286, 1.5714, 1.7143, 1.8571, 2.0000, 2.1429, 2.2857, 2.4286,
                    2.5714, 2.7143, 2.8571, 3.0000, 3.1429, 3.2857, 3.4286, 3.5714, 3.7143,
                    3.8571, 4.0000, 4.1429], dtype=torch.float64)
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.arange(2000)</c></summary>
    [Fact]
    public void Summary_Int64Arange2000()
    {
        var t = Tensor.Arange(0, 2000);
        Assert.Equal(
            "tensor([   0,    1,    2,  ..., 1997, 1998, 1999])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.arange(2000.)</c></summary>
    [Fact]
    public void Summary_FloatArange2000()
    {
        var t = Tensor.Arange(0, 2000).Float();
        Assert.Equal(
            """
            tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,
                    1.9990e+03])
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.arange(2000.) / 7</c></summary>
    [Fact]
    public void Summary_FloatArange2000DividedBySeven()
    {
        var t = Tensor.Arange(0, 2000).Float() / 7;
        Assert.Equal(
            """
            tensor([0.0000e+00, 1.4286e-01, 2.8571e-01,  ..., 2.8529e+02, 2.8543e+02,
                    2.8557e+02])
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>(torch.arange(10000.) / 3).reshape(100, 100)</c></summary>
    [Fact]
    public void Summary_Matrix100x100()
    {
        var t = (Tensor.Arange(0, 10000).Float() / 3).Reshape(100, 100);
        Assert.Equal(
            """
            tensor([[0.0000e+00, 3.3333e-01, 6.6667e-01,  ..., 3.2333e+01, 3.2667e+01,
                     3.3000e+01],
                    [3.3333e+01, 3.3667e+01, 3.4000e+01,  ..., 6.5667e+01, 6.6000e+01,
                     6.6333e+01],
                    [6.6667e+01, 6.7000e+01, 6.7333e+01,  ..., 9.9000e+01, 9.9333e+01,
                     9.9667e+01],
                    ...,
                    [3.2333e+03, 3.2337e+03, 3.2340e+03,  ..., 3.2657e+03, 3.2660e+03,
                     3.2663e+03],
                    [3.2667e+03, 3.2670e+03, 3.2673e+03,  ..., 3.2990e+03, 3.2993e+03,
                     3.2997e+03],
                    [3.3000e+03, 3.3003e+03, 3.3007e+03,  ..., 3.3323e+03, 3.3327e+03,
                     3.3330e+03]])
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.arange(10000).reshape(100, 100)</c></summary>
    [Fact]
    public void Summary_Int64Matrix100x100()
    {
        var t = Tensor.Arange(0, 10000).Reshape(100, 100);
        Assert.Equal(
            """
            tensor([[   0,    1,    2,  ...,   97,   98,   99],
                    [ 100,  101,  102,  ...,  197,  198,  199],
                    [ 200,  201,  202,  ...,  297,  298,  299],
                    ...,
                    [9700, 9701, 9702,  ..., 9797, 9798, 9799],
                    [9800, 9801, 9802,  ..., 9897, 9898, 9899],
                    [9900, 9901, 9902,  ..., 9997, 9998, 9999]])
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.arange(1200.).reshape(2, 3, 200)</c></summary>
    [Fact]
    public void Summary_ThreeDims_LastDimOnly()
    {
        var t = Tensor.Arange(0, 1200).Float().Reshape(2, 3, 200);
        Assert.Equal(
            """
            tensor([[[0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9700e+02,
                      1.9800e+02, 1.9900e+02],
                     [2.0000e+02, 2.0100e+02, 2.0200e+02,  ..., 3.9700e+02,
                      3.9800e+02, 3.9900e+02],
                     [4.0000e+02, 4.0100e+02, 4.0200e+02,  ..., 5.9700e+02,
                      5.9800e+02, 5.9900e+02]],

                    [[6.0000e+02, 6.0100e+02, 6.0200e+02,  ..., 7.9700e+02,
                      7.9800e+02, 7.9900e+02],
                     [8.0000e+02, 8.0100e+02, 8.0200e+02,  ..., 9.9700e+02,
                      9.9800e+02, 9.9900e+02],
                     [1.0000e+03, 1.0010e+03, 1.0020e+03,  ..., 1.1970e+03,
                      1.1980e+03, 1.1990e+03]]])
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.arange(1100).reshape(10, 10, 11)</c></summary>
    [Fact]
    public void Summary_ThreeDims_AllDims()
    {
        var t = Tensor.Arange(0, 1100).Reshape(10, 10, 11);
        Assert.Equal(
            """
            tensor([[[   0,    1,    2,  ...,    8,    9,   10],
                     [  11,   12,   13,  ...,   19,   20,   21],
                     [  22,   23,   24,  ...,   30,   31,   32],
                     ...,
                     [  77,   78,   79,  ...,   85,   86,   87],
                     [  88,   89,   90,  ...,   96,   97,   98],
                     [  99,  100,  101,  ...,  107,  108,  109]],

                    [[ 110,  111,  112,  ...,  118,  119,  120],
                     [ 121,  122,  123,  ...,  129,  130,  131],
                     [ 132,  133,  134,  ...,  140,  141,  142],
                     ...,
                     [ 187,  188,  189,  ...,  195,  196,  197],
                     [ 198,  199,  200,  ...,  206,  207,  208],
                     [ 209,  210,  211,  ...,  217,  218,  219]],

                    [[ 220,  221,  222,  ...,  228,  229,  230],
                     [ 231,  232,  233,  ...,  239,  240,  241],
                     [ 242,  243,  244,  ...,  250,  251,  252],
                     ...,
                     [ 297,  298,  299,  ...,  305,  306,  307],
                     [ 308,  309,  310,  ...,  316,  317,  318],
                     [ 319,  320,  321,  ...,  327,  328,  329]],

                    ...,

                    [[ 770,  771,  772,  ...,  778,  779,  780],
                     [ 781,  782,  783,  ...,  789,  790,  791],
                     [ 792,  793,  794,  ...,  800,  801,  802],
                     ...,
                     [ 847,  848,  849,  ...,  855,  856,  857],
                     [ 858,  859,  860,  ...,  866,  867,  868],
                     [ 869,  870,  871,  ...,  877,  878,  879]],

                    [[ 880,  881,  882,  ...,  888,  889,  890],
                     [ 891,  892,  893,  ...,  899,  900,  901],
                     [ 902,  903,  904,  ...,  910,  911,  912],
                     ...,
                     [ 957,  958,  959,  ...,  965,  966,  967],
                     [ 968,  969,  970,  ...,  976,  977,  978],
                     [ 979,  980,  981,  ...,  987,  988,  989]],

                    [[ 990,  991,  992,  ...,  998,  999, 1000],
                     [1001, 1002, 1003,  ..., 1009, 1010, 1011],
                     [1012, 1013, 1014,  ..., 1020, 1021, 1022],
                     ...,
                     [1067, 1068, 1069,  ..., 1075, 1076, 1077],
                     [1078, 1079, 1080,  ..., 1086, 1087, 1088],
                     [1089, 1090, 1091,  ..., 1097, 1098, 1099]]])
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([i % 3 == 0 for i in range(2000)])</c></summary>
    [Fact]
    public void Summary_Bool2000()
    {
        var t = Tensor.From(Enumerable.Range(0, 2000).Select(i => i % 3 == 0).ToArray());
        Assert.Equal(
            "tensor([ True, False, False,  ..., False,  True, False])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>t = torch.zeros(2000); t[1000] = 1e10</c></summary>
    [Fact]
    public void Summary_WidthFromEdgeItemsOnly()
    {
        var t = ZerosWithOneLargeMiddleValue();
        Assert.Equal(
            "tensor([0., 0., 0.,  ..., 0., 0., 0.])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.arange(1000)</c></summary>
    [Fact]
    public void Summary_Exactly1000IsNotSummarised()
    {
        var t = Tensor.Arange(0, 1000);
        Assert.Equal(
            """
            tensor([  0,   1,   2,   3,   4,   5,   6,   7,   8,   9,  10,  11,  12,  13,
                     14,  15,  16,  17,  18,  19,  20,  21,  22,  23,  24,  25,  26,  27,
                     28,  29,  30,  31,  32,  33,  34,  35,  36,  37,  38,  39,  40,  41,
                     42,  43,  44,  45,  46,  47,  48,  49,  50,  51,  52,  53,  54,  55,
                     56,  57,  58,  59,  60,  61,  62,  63,  64,  65,  66,  67,  68,  69,
                     70,  71,  72,  73,  74,  75,  76,  77,  78,  79,  80,  81,  82,  83,
                     84,  85,  86,  87,  88,  89,  90,  91,  92,  93,  94,  95,  96,  97,
                     98,  99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111,
                    112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125,
                    126, 127, 128, 129, 130, 131, 132, 133, 134, 135, 136, 137, 138, 139,
                    140, 141, 142, 143, 144, 145, 146, 147, 148, 149, 150, 151, 152, 153,
                    154, 155, 156, 157, 158, 159, 160, 161, 162, 163, 164, 165, 166, 167,
                    168, 169, 170, 171, 172, 173, 174, 175, 176, 177, 178, 179, 180, 181,
                    182, 183, 184, 185, 186, 187, 188, 189, 190, 191, 192, 193, 194, 195,
                    196, 197, 198, 199, 200, 201, 202, 203, 204, 205, 206, 207, 208, 209,
                    210, 211, 212, 213, 214, 215, 216, 217, 218, 219, 220, 221, 222, 223,
                    224, 225, 226, 227, 228, 229, 230, 231, 232, 233, 234, 235, 236, 237,
                    238, 239, 240, 241, 242, 243, 244, 245, 246, 247, 248, 249, 250, 251,
                    252, 253, 254, 255, 256, 257, 258, 259, 260, 261, 262, 263, 264, 265,
                    266, 267, 268, 269, 270, 271, 272, 273, 274, 275, 276, 277, 278, 279,
                    280, 281, 282, 283, 284, 285, 286, 287, 288, 289, 290, 291, 292, 293,
                    294, 295, 296, 297, 298, 299, 300, 301, 302, 303, 304, 305, 306, 307,
                    308, 309, 310, 311, 312, 313, 314, 315, 316, 317, 318, 319, 320, 321,
                    322, 323, 324, 325, 326, 327, 328, 329, 330, 331, 332, 333, 334, 335,
                    336, 337, 338, 339, 340, 341, 342, 343, 344, 345, 346, 347, 348, 349,
                    350, 351, 352, 353, 354, 355, 356, 357, 358, 359, 360, 361, 362, 363,
                    364, 365, 366, 367, 368, 369, 370, 371, 372, 373, 374, 375, 376, 377,
                    378, 379, 380, 381, 382, 383, 384, 385, 386, 387, 388, 389, 390, 391,
                    392, 393, 394, 395, 396, 397, 398, 399, 400, 401, 402, 403, 404, 405,
                    406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418, 419,
                    420, 421, 422, 423, 424, 425, 426, 427, 428, 429, 430, 431, 432, 433,
                    434, 435, 436, 437, 438, 439, 440, 441, 442, 443, 444, 445, 446, 447,
                    448, 449, 450, 451, 452, 453, 454, 455, 456, 457, 458, 459, 460, 461,
                    462, 463, 464, 465, 466, 467, 468, 469, 470, 471, 472, 473, 474, 475,
                    476, 477, 478, 479, 480, 481, 482, 483, 484, 485, 486, 487, 488, 489,
                    490, 491, 492, 493, 494, 495, 496, 497, 498, 499, 500, 501, 502, 503,
                    504, 505, 506, 507, 508, 509, 510, 511, 512, 513, 514, 515, 516, 517,
                    518, 519, 520, 521, 522, 523, 524, 525, 526, 527, 528, 529, 530, 531,
                    532, 533, 534, 535, 536, 537, 538, 539, 540, 541, 542, 543, 544, 545,
                    546, 547, 548, 549, 550, 551, 552, 553, 554, 555, 556, 557, 558, 559,
                    560, 561, 562, 563, 564, 565, 566, 567, 568, 569, 570, 571, 572, 573,
                    574, 575, 576, 577, 578, 579, 580, 581, 582, 583, 584, 585, 586, 587,
                    588, 589, 590, 591, 592, 593, 594, 595, 596, 597, 598, 599, 600, 601,
                    602, 603, 604, 605, 606, 607, 608, 609, 610, 611, 612, 613, 614, 615,
                    616, 617, 618, 619, 620, 621, 622, 623, 624, 625, 626, 627, 628, 629,
                    630, 631, 632, 633, 634, 635, 636, 637, 638, 639, 640, 641, 642, 643,
                    644, 645, 646, 647, 648, 649, 650, 651, 652, 653, 654, 655, 656, 657,
                    658, 659, 660, 661, 662, 663, 664, 665, 666, 667, 668, 669, 670, 671,
                    672, 673, 674, 675, 676, 677, 678, 679, 680, 681, 682, 683, 684, 685,
                    686, 687, 688, 689, 690, 691, 692, 693, 694, 695, 696, 697, 698, 699,
                    700, 701, 702, 703, 704, 705, 706, 707, 708, 709, 710, 711, 712, 713,
                    714, 715, 716, 717, 718, 719, 720, 721, 722, 723, 724, 725, 726, 727,
                    728, 729, 730, 731, 732, 733, 734, 735, 736, 737, 738, 739, 740, 741,
                    742, 743, 744, 745, 746, 747, 748, 749, 750, 751, 752, 753, 754, 755,
                    756, 757, 758, 759, 760, 761, 762, 763, 764, 765, 766, 767, 768, 769,
                    770, 771, 772, 773, 774, 775, 776, 777, 778, 779, 780, 781, 782, 783,
                    784, 785, 786, 787, 788, 789, 790, 791, 792, 793, 794, 795, 796, 797,
                    798, 799, 800, 801, 802, 803, 804, 805, 806, 807, 808, 809, 810, 811,
                    812, 813, 814, 815, 816, 817, 818, 819, 820, 821, 822, 823, 824, 825,
                    826, 827, 828, 829, 830, 831, 832, 833, 834, 835, 836, 837, 838, 839,
                    840, 841, 842, 843, 844, 845, 846, 847, 848, 849, 850, 851, 852, 853,
                    854, 855, 856, 857, 858, 859, 860, 861, 862, 863, 864, 865, 866, 867,
                    868, 869, 870, 871, 872, 873, 874, 875, 876, 877, 878, 879, 880, 881,
                    882, 883, 884, 885, 886, 887, 888, 889, 890, 891, 892, 893, 894, 895,
                    896, 897, 898, 899, 900, 901, 902, 903, 904, 905, 906, 907, 908, 909,
                    910, 911, 912, 913, 914, 915, 916, 917, 918, 919, 920, 921, 922, 923,
                    924, 925, 926, 927, 928, 929, 930, 931, 932, 933, 934, 935, 936, 937,
                    938, 939, 940, 941, 942, 943, 944, 945, 946, 947, 948, 949, 950, 951,
                    952, 953, 954, 955, 956, 957, 958, 959, 960, 961, 962, 963, 964, 965,
                    966, 967, 968, 969, 970, 971, 972, 973, 974, 975, 976, 977, 978, 979,
                    980, 981, 982, 983, 984, 985, 986, 987, 988, 989, 990, 991, 992, 993,
                    994, 995, 996, 997, 998, 999])
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.arange(1001)</c></summary>
    [Fact]
    public void Summary_1001IsSummarised()
    {
        var t = Tensor.Arange(0, 1001);
        Assert.Equal(
            "tensor([   0,    1,    2,  ...,  998,  999, 1000])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.arange(2000., dtype=f64) / 3</c></summary>
    [Fact]
    public void Summary_Float64()
    {
        var t = Tensor.Arange(0, 2000).Double() / 3;
        Assert.Equal(
            """
            tensor([0.0000e+00, 3.3333e-01, 6.6667e-01,  ..., 6.6567e+02, 6.6600e+02,
                    6.6633e+02], dtype=torch.float64)
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([])</c></summary>
    [Fact]
    public void Empty_Float32()
    {
        var t = Tensor.From(Array.Empty<float>());
        Assert.Equal(
            "tensor([])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.zeros(0, 3)</c></summary>
    [Fact]
    public void Empty_ZeroByThree()
    {
        var t = Tensor.Zeros([0, 3]);
        Assert.Equal(
            "tensor([], size=(0, 3))",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.zeros(2, 0)</c></summary>
    [Fact]
    public void Empty_TwoByZero()
    {
        var t = Tensor.Zeros([2, 0]);
        Assert.Equal(
            "tensor([], size=(2, 0))",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([], dtype=torch.long)</c></summary>
    [Fact]
    public void Empty_Int64()
    {
        var t = Tensor.From(Array.Empty<long>());
        Assert.Equal(
            "tensor([], dtype=torch.int64)",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([], dtype=f64)</c></summary>
    [Fact]
    public void Empty_Float64()
    {
        var t = Tensor.From(Array.Empty<double>());
        Assert.Equal(
            "tensor([], dtype=torch.float64)",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([], dtype=torch.bool)</c></summary>
    [Fact]
    public void Empty_Bool()
    {
        var t = Tensor.From(Array.Empty<bool>());
        Assert.Equal(
            "tensor([], dtype=torch.bool)",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.zeros(0, 3, dtype=torch.long)</c></summary>
    [Fact]
    public void Empty_ZeroByThreeInt64()
    {
        var t = Tensor.Zeros([0, 3], DType.Int64);
        Assert.Equal(
            "tensor([], size=(0, 3), dtype=torch.int64)",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.zeros(0, requires_grad=True)</c></summary>
    [Fact]
    public void Empty_RequiresGrad()
    {
        var t = Tensor.Zeros([0], requiresGrad: true);
        Assert.Equal(
            "tensor([], requires_grad=True)",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.arange(5.)[2:2]</c></summary>
    [Fact]
    public void Empty_SliceOfVector()
    {
        var t = Tensor.Arange(0, 5).Float().Slice(0, 2, 2);
        Assert.Equal(
            "tensor([])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([1., 2.], requires_grad=True)</c></summary>
    [Fact]
    public void Suffix_RequiresGrad()
    {
        var t = Tensor.From(new[] { 1f, 2f }, requiresGrad: true);
        Assert.Equal(
            "tensor([1., 2.], requires_grad=True)",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor(3., requires_grad=True)</c></summary>
    [Fact]
    public void Suffix_ScalarRequiresGrad()
    {
        var t = Tensor.Scalar(3f, requiresGrad: true);
        Assert.Equal(
            "tensor(3., requires_grad=True)",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([1.5, 2.], dtype=f64, requires_grad=True)</c></summary>
    [Fact]
    public void Suffix_Float64RequiresGrad()
    {
        var t = Tensor.From(new[] { 1.5, 2.0 }, requiresGrad: true);
        Assert.Equal(
            "tensor([1.5000, 2.0000], dtype=torch.float64, requires_grad=True)",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([1., 2.], requires_grad=True) * 2</c></summary>
    [Fact]
    public void Suffix_GradFnMul()
    {
        var t = Tensor.From(new[] { 1f, 2f }, requiresGrad: true) * 2;
        Assert.Equal(
            "tensor([2., 4.], grad_fn=<MulBackward0>)",
            t.ToString());
    }

    /// <summary>PyTorch: <c>(torch.tensor(3., requires_grad=True) + torch.tensor(4., requires_grad=True)) * (torch.tensor(4.) - 2)</c></summary>
    [Fact]
    public void Suffix_GradFnScalarMul()
    {
        var t = (Tensor.Scalar(3f, requiresGrad: true) + Tensor.Scalar(4f, requiresGrad: true)) * (Tensor.Scalar(4f) - 2);
        Assert.Equal(
            "tensor(14., grad_fn=<MulBackward0>)",
            t.ToString());
    }

    /// <summary>PyTorch: <c>(torch.tensor([1., 2.], requires_grad=True) * 2).sum()</c></summary>
    [Fact]
    public void Suffix_GradFnSum()
    {
        var t = (Tensor.From(new[] { 1f, 2f }, requiresGrad: true) * 2).Sum();
        Assert.Equal(
            "tensor(6., grad_fn=<SumBackward0>)",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([1., 2.], requires_grad=True).mean()</c></summary>
    [Fact]
    public void Suffix_GradFnMean()
    {
        var t = Tensor.From(new[] { 1f, 2f }, requiresGrad: true).Mean();
        Assert.Equal(
            "tensor(1.5000, grad_fn=<MeanBackward0>)",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([1.5, 2.], dtype=f64, requires_grad=True) * 2</c></summary>
    [Fact]
    public void Suffix_GradFnFloat64()
    {
        var t = Tensor.From(new[] { 1.5, 2.0 }, requiresGrad: true) * 2;
        Assert.Equal(
            "tensor([3., 4.], dtype=torch.float64, grad_fn=<MulBackward0>)",
            t.ToString());
    }

    /// <summary>PyTorch: <c>with torch.no_grad(): torch.tensor([1., 2.], requires_grad=True) * 2</c></summary>
    [Fact]
    public void Suffix_NoGradHasNoSuffix()
    {
        var t = NoGradMul();
        Assert.Equal(
            "tensor([2., 4.])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>(torch.tensor([1., 2.], requires_grad=True) * 2).detach()</c></summary>
    [Fact]
    public void Suffix_DetachHasNoSuffix()
    {
        var t = (Tensor.From(new[] { 1f, 2f }, requiresGrad: true) * 2).Detach();
        Assert.Equal(
            "tensor([2., 4.])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)</c></summary>
    [Fact]
    public void Suffix_MatrixRequiresGrad()
    {
        var t = Tensor.From(new float[,] { { 1, 2 }, { 3, 4 } }, requiresGrad: true);
        Assert.Equal(
            """
            tensor([[1., 2.],
                    [3., 4.]], requires_grad=True)
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([[1., 2.], [3., 4.]], requires_grad=True).mm(torch.eye(2))</c></summary>
    [Fact]
    public void Suffix_MatrixGradFnMm()
    {
        var t = Tensor.From(new float[,] { { 1, 2 }, { 3, 4 } }, requiresGrad: true).Mm(Tensor.From(new float[,] { { 1, 0 }, { 0, 1 } }));
        Assert.Equal(
            """
            tensor([[1., 2.],
                    [3., 4.]], grad_fn=<MmBackward0>)
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>(torch.arange(30.) / 7).requires_grad_() * 2</c></summary>
    [Fact]
    public void Suffix_GradFnWrapsAfterLongTensor()
    {
        var t = (Tensor.Arange(0, 30).Float() / 7).SetRequiresGrad() * 2;
        Assert.Equal(
            """
            tensor([0.0000, 0.2857, 0.5714, 0.8571, 1.1429, 1.4286, 1.7143, 2.0000, 2.2857,
                    2.5714, 2.8571, 3.1429, 3.4286, 3.7143, 4.0000, 4.2857, 4.5714, 4.8571,
                    5.1429, 5.4286, 5.7143, 6.0000, 6.2857, 6.5714, 6.8571, 7.1429, 7.4286,
                    7.7143, 8.0000, 8.2857], grad_fn=<MulBackward0>)
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>(torch.arange(30.) / 7).requires_grad_()</c></summary>
    [Fact]
    public void Suffix_RequiresGradWrapsAfterLongTensor()
    {
        var t = (Tensor.Arange(0, 30).Float() / 7).SetRequiresGrad();
        Assert.Equal(
            """
            tensor([0.0000, 0.1429, 0.2857, 0.4286, 0.5714, 0.7143, 0.8571, 1.0000, 1.1429,
                    1.2857, 1.4286, 1.5714, 1.7143, 1.8571, 2.0000, 2.1429, 2.2857, 2.4286,
                    2.5714, 2.7143, 2.8571, 3.0000, 3.1429, 3.2857, 3.4286, 3.5714, 3.7143,
                    3.8571, 4.0000, 4.1429], requires_grad=True)
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>(torch.arange(30., dtype=f64) / 7).requires_grad_()</c></summary>
    [Fact]
    public void Suffix_Float64DtypeAndRequiresGradAfterLongTensor()
    {
        var t = (Tensor.Arange(0, 30).Double() / 7).SetRequiresGrad();
        Assert.Equal(
            """
            tensor([0.0000, 0.1429, 0.2857, 0.4286, 0.5714, 0.7143, 0.8571, 1.0000, 1.1429,
                    1.2857, 1.4286, 1.5714, 1.7143, 1.8571, 2.0000, 2.1429, 2.2857, 2.4286,
                    2.5714, 2.7143, 2.8571, 3.0000, 3.1429, 3.2857, 3.4286, 3.5714, 3.7143,
                    3.8571, 4.0000, 4.1429], dtype=torch.float64, requires_grad=True)
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>(torch.arange(7.) / 7 + 0.5).requires_grad_()</c></summary>
    [Fact]
    public void Suffix_SingleLine_RequiresGradWrapsCountingPrefix()
    {
        var t = (Tensor.Arange(0, 7).Float() / 7 + 0.5f).SetRequiresGrad();
        Assert.Equal(
            """
            tensor([0.5000, 0.6429, 0.7857, 0.9286, 1.0714, 1.2143, 1.3571],
                   requires_grad=True)
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>(torch.arange(7.) / 7 + 0.5).requires_grad_() * 2</c></summary>
    [Fact]
    public void Suffix_SingleLine_GradFnWrapsCountingPrefix()
    {
        var t = (Tensor.Arange(0, 7).Float() / 7 + 0.5f).SetRequiresGrad() * 2;
        Assert.Equal(
            """
            tensor([1.0000, 1.2857, 1.5714, 1.8571, 2.1429, 2.4286, 2.7143],
                   grad_fn=<MulBackward0>)
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.arange(8., dtype=f64) / 7 + 0.5</c></summary>
    [Fact]
    public void Suffix_SingleLine_Float64DtypeWrapsCountingPrefix()
    {
        var t = Tensor.Arange(0, 8).Double() / 7 + 0.5;
        Assert.Equal(
            """
            tensor([0.5000, 0.6429, 0.7857, 0.9286, 1.0714, 1.2143, 1.3571, 1.5000],
                   dtype=torch.float64)
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.arange(7., dtype=f64) / 7 + 0.5</c></summary>
    [Fact]
    public void Suffix_SingleLine_Float64DtypeOnlyWrapsCountingPrefix()
    {
        var t = Tensor.Arange(0, 7).Double() / 7 + 0.5;
        Assert.Equal(
            """
            tensor([0.5000, 0.6429, 0.7857, 0.9286, 1.0714, 1.2143, 1.3571],
                   dtype=torch.float64)
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>(torch.arange(5.) / 7 + 0.5).requires_grad_()</c></summary>
    [Fact]
    public void Suffix_SingleLine_FitsWithSuffix()
    {
        var t = (Tensor.Arange(0, 5).Float() / 7 + 0.5f).SetRequiresGrad();
        Assert.Equal(
            "tensor([0.5000, 0.6429, 0.7857, 0.9286, 1.0714], requires_grad=True)",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.arange(6., dtype=f64).requires_grad_() / 7 + 0.5</c></summary>
    [Fact]
    public void Suffix_SingleLine_DtypeFitsButGradFnWraps()
    {
        var t = Tensor.Arange(0, 6).Double().SetRequiresGrad() / 7 + 0.5;
        Assert.Equal(
            """
            tensor([0.5000, 0.6429, 0.7857, 0.9286, 1.0714, 1.2143], dtype=torch.float64,
                   grad_fn=<AddBackward0>)
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.arange(2000.).requires_grad_() * 2</c></summary>
    [Fact]
    public void Suffix_SummarisedGradFn()
    {
        var t = Tensor.Arange(0, 2000).Float().SetRequiresGrad() * 2;
        Assert.Equal(
            """
            tensor([0.0000e+00, 2.0000e+00, 4.0000e+00,  ..., 3.9940e+03, 3.9960e+03,
                    3.9980e+03], grad_fn=<MulBackward0>)
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([1.00005, 2.00015, 0.12345])</c></summary>
    [Fact]
    public void Round_FixedHalfwayCases()
    {
        var t = Tensor.From(new[] { 1.00005f, 2.00015f, 0.12345f });
        Assert.Equal(
            "tensor([1.0000, 2.0001, 0.1235])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([1.23455e-5, 9.99995e-1])</c></summary>
    [Fact]
    public void Round_ScientificMantissa()
    {
        var t = Tensor.From(new[] { 1.23455e-5f, 9.99995e-1f });
        Assert.Equal(
            "tensor([1.2346e-05, 9.9999e-01])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([0.99999, 9.99999])</c></summary>
    [Fact]
    public void Round_NinesRoundUp()
    {
        var t = Tensor.From(new[] { 0.99999f, 9.99999f });
        Assert.Equal(
            "tensor([ 1.0000, 10.0000])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([-0., 0.5])</c></summary>
    [Fact]
    public void Fixed_NegativeZeroWithFraction()
    {
        var t = Tensor.From(new[] { -0f, 0.5f });
        Assert.Equal(
            "tensor([-0.0000, 0.5000])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([1e7, 2e7])</c></summary>
    [Fact]
    public void Fixed_IntegerValuedTenMillions()
    {
        var t = Tensor.From(new[] { 1e7f, 2e7f });
        Assert.Equal(
            "tensor([10000000., 20000000.])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([12345678., 1.])</c></summary>
    [Fact]
    public void Sci_IntegerValuedEightDigitsWideRatio()
    {
        var t = Tensor.From(new[] { 12345678f, 1f });
        Assert.Equal(
            "tensor([1.2346e+07, 1.0000e+00])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([12345678.5, 150000.25], dtype=f64)</c></summary>
    [Fact]
    public void Fixed_Float64LargeNonInteger()
    {
        var t = Tensor.From(new[] { 12345678.5, 150000.25 });
        Assert.Equal(
            "tensor([12345678.5000,   150000.2500], dtype=torch.float64)",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([1e-45])</c></summary>
    [Fact]
    public void Sci_Float32Subnormal()
    {
        var t = Tensor.From(new[] { 1e-45f });
        Assert.Equal(
            "tensor([1.4013e-45])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([3.4028234663852886e38, -1.])</c></summary>
    [Fact]
    public void Sci_Float32Max()
    {
        var t = Tensor.From(new[] { float.MaxValue, -1f });
        Assert.Equal(
            "tensor([ 3.4028e+38, -1.0000e+00])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.arange(2000.).sum()</c></summary>
    [Fact]
    public void Sum_OfArange2000()
    {
        var t = Tensor.Arange(0, 2000).Float().Sum();
        Assert.Equal(
            "tensor(1999000.)",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.cat([torch.tensor([nan]), torch.arange(2000.), torch.tensor([inf])])</c></summary>
    [Fact]
    public void Summary_WithNaNAtEdges()
    {
        var t = Tensor.Cat([Tensor.From(new[] { float.NaN }), Tensor.Arange(0, 2000).Float(), Tensor.From(new[] { float.PositiveInfinity })]);
        Assert.Equal(
            """
            tensor([       nan, 0.0000e+00, 1.0000e+00,  ..., 1.9980e+03, 1.9990e+03,
                           inf])
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.arange(-1000, 1000)</c></summary>
    [Fact]
    public void Summary_Int64Negative()
    {
        var t = Tensor.Arange(-1000, 1000);
        Assert.Equal(
            "tensor([-1000,  -999,  -998,  ...,   997,   998,   999])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.zeros(0, 3, requires_grad=True)</c></summary>
    [Fact]
    public void Empty_ZeroByThreeRequiresGrad()
    {
        var t = Tensor.Zeros([0, 3], requiresGrad: true);
        Assert.Equal(
            "tensor([], size=(0, 3), requires_grad=True)",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.arange(10.)[::3]</c></summary>
    [Fact]
    public void View_SteppedSlice()
    {
        var t = Tensor.Arange(0, 10).Float().Slice(0, step: 3);
        Assert.Equal(
            "tensor([0., 3., 6., 9.])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor([1., 2.]).expand(3, 2)</c></summary>
    [Fact]
    public void View_Expanded()
    {
        var t = Tensor.From(new[] { 1f, 2f }).Expand(3, 2);
        Assert.Equal(
            """
            tensor([[1., 2.],
                    [1., 2.],
                    [1., 2.]])
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.arange(6.).reshape(2, 3)[:, 1]</c></summary>
    [Fact]
    public void View_SelectedColumn()
    {
        var t = Tensor.Arange(0, 6).Float().Reshape(2, 3).Select(1, 1);
        Assert.Equal(
            "tensor([1., 4.])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.arange(12.).reshape(2, 2, 3).permute(2, 0, 1)</c></summary>
    [Fact]
    public void View_PermutedCube()
    {
        var t = Tensor.Arange(0, 12).Float().Reshape(2, 2, 3).Permute(2, 0, 1);
        Assert.Equal(
            """
            tensor([[[ 0.,  3.],
                     [ 6.,  9.]],

                    [[ 1.,  4.],
                     [ 7., 10.]],

                    [[ 2.,  5.],
                     [ 8., 11.]]])
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>x = torch.tensor([1., 2., 3.], requires_grad=True); (x * x).sum().backward(); x.grad</c></summary>
    [Fact]
    public void Grad_AfterBackward()
    {
        var t = GradAfterBackward();
        Assert.Equal(
            "tensor([2., 4., 6.])",
            t.ToString());
    }

    /// <summary>PyTorch: <c>X() + 1</c></summary>
    [Fact]
    public void GradFn_Add()
    {
        var t = X() + 1;
        Assert.Equal(
            """
            tensor([[ 2., -1.],
                    [ 4.,  5.]], grad_fn=<AddBackward0>)
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>X() - 1</c></summary>
    [Fact]
    public void GradFn_Sub()
    {
        var t = X() - 1;
        Assert.Equal(
            """
            tensor([[ 0., -3.],
                    [ 2.,  3.]], grad_fn=<SubBackward0>)
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>2 - X()</c></summary>
    [Fact]
    public void GradFn_RSub()
    {
        var t = 2 - X();
        Assert.Equal(
            """
            tensor([[ 1.,  4.],
                    [-1., -2.]], grad_fn=<RsubBackward1>)
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>X() / 3</c></summary>
    [Fact]
    public void GradFn_Div()
    {
        var t = X() / 3;
        Assert.Equal(
            """
            tensor([[ 0.3333, -0.6667],
                    [ 1.0000,  1.3333]], grad_fn=<DivBackward0>)
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>-X()</c></summary>
    [Fact]
    public void GradFn_Neg()
    {
        var t = -X();
        Assert.Equal(
            """
            tensor([[-1.,  2.],
                    [-3., -4.]], grad_fn=<NegBackward0>)
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>(X() * 0).exp()</c></summary>
    [Fact]
    public void GradFn_Exp()
    {
        var t = (X() * 0).Exp();
        Assert.Equal(
            """
            tensor([[1., 1.],
                    [1., 1.]], grad_fn=<ExpBackward0>)
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>X().pow(2)</c></summary>
    [Fact]
    public void GradFn_Pow()
    {
        var t = X().Pow(2);
        Assert.Equal(
            """
            tensor([[ 1.,  4.],
                    [ 9., 16.]], grad_fn=<PowBackward0>)
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>X().abs()</c></summary>
    [Fact]
    public void GradFn_Abs()
    {
        var t = X().Abs();
        Assert.Equal(
            """
            tensor([[1., 2.],
                    [3., 4.]], grad_fn=<AbsBackward0>)
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>X().sqrt()</c></summary>
    [Fact]
    public void GradFn_Sqrt()
    {
        var t = X().Sqrt();
        Assert.Equal(
            """
            tensor([[1.0000,    nan],
                    [1.7321, 2.0000]], grad_fn=<SqrtBackward0>)
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>X().log()</c></summary>
    [Fact]
    public void GradFn_Log()
    {
        var t = X().Log();
        Assert.Equal(
            """
            tensor([[0.0000,    nan],
                    [1.0986, 1.3863]], grad_fn=<LogBackward0>)
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>X().tanh()</c></summary>
    [Fact]
    public void GradFn_Tanh()
    {
        var t = X().Tanh();
        Assert.Equal(
            """
            tensor([[ 0.7616, -0.9640],
                    [ 0.9951,  0.9993]], grad_fn=<TanhBackward0>)
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>X().sigmoid()</c></summary>
    [Fact]
    public void GradFn_Sigmoid()
    {
        var t = X().Sigmoid();
        Assert.Equal(
            """
            tensor([[0.7311, 0.1192],
                    [0.9526, 0.9820]], grad_fn=<SigmoidBackward0>)
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>X().relu()</c></summary>
    [Fact]
    public void GradFn_Relu()
    {
        var t = X().Relu();
        Assert.Equal(
            """
            tensor([[1., 0.],
                    [3., 4.]], grad_fn=<ReluBackward0>)
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>X().clamp(min=0)</c></summary>
    [Fact]
    public void GradFn_ClampMin()
    {
        var t = X().Clamp(min: 0);
        Assert.Equal(
            """
            tensor([[1., 0.],
                    [3., 4.]], grad_fn=<ClampBackward1>)
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>X().clamp(min=0, max=2)</c></summary>
    [Fact]
    public void GradFn_ClampMinMax()
    {
        var t = X().Clamp(min: 0, max: 2);
        Assert.Equal(
            """
            tensor([[1., 0.],
                    [2., 2.]], grad_fn=<ClampBackward1>)
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>X().sum()</c></summary>
    [Fact]
    public void GradFn_SumAll()
    {
        var t = X().Sum();
        Assert.Equal(
            "tensor(6., grad_fn=<SumBackward0>)",
            t.ToString());
    }

    /// <summary>PyTorch: <c>X().sum(0)</c></summary>
    [Fact]
    public void GradFn_SumDim()
    {
        var t = X().Sum(0);
        Assert.Equal(
            "tensor([4., 2.], grad_fn=<SumBackward1>)",
            t.ToString());
    }

    /// <summary>PyTorch: <c>X().mean()</c></summary>
    [Fact]
    public void GradFn_MeanAll()
    {
        var t = X().Mean();
        Assert.Equal(
            "tensor(1.5000, grad_fn=<MeanBackward0>)",
            t.ToString());
    }

    /// <summary>PyTorch: <c>X().mean(1)</c></summary>
    [Fact]
    public void GradFn_MeanDim()
    {
        var t = X().Mean(1);
        Assert.Equal(
            "tensor([-0.5000,  3.5000], grad_fn=<MeanBackward1>)",
            t.ToString());
    }

    /// <summary>PyTorch: <c>X().max()</c></summary>
    [Fact]
    public void GradFn_Max()
    {
        var t = X().Max();
        Assert.Equal(
            "tensor(4., grad_fn=<MaxBackward1>)",
            t.ToString());
    }

    /// <summary>PyTorch: <c>X().min()</c></summary>
    [Fact]
    public void GradFn_Min()
    {
        var t = X().Min();
        Assert.Equal(
            "tensor(-2., grad_fn=<MinBackward1>)",
            t.ToString());
    }

    /// <summary>PyTorch: <c>X().norm()</c></summary>
    [Fact]
    public void GradFn_Norm()
    {
        var t = X().Norm();
        Assert.Equal(
            "tensor(5.4772, grad_fn=<NormBackward1>)",
            t.ToString());
    }

    /// <summary>PyTorch: <c>X().norm(1)</c></summary>
    [Fact]
    public void GradFn_Norm1()
    {
        var t = X().Norm(1);
        Assert.Equal(
            "tensor(10., grad_fn=<NormBackward1>)",
            t.ToString());
    }

    /// <summary>PyTorch: <c>X().softmax(1)</c></summary>
    [Fact]
    public void GradFn_Softmax()
    {
        var t = X().Softmax(1);
        Assert.Equal(
            """
            tensor([[0.9526, 0.0474],
                    [0.2689, 0.7311]], grad_fn=<SoftmaxBackward0>)
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>X().log_softmax(1)</c></summary>
    [Fact]
    public void GradFn_LogSoftmax()
    {
        var t = X().LogSoftmax(1);
        Assert.Equal(
            """
            tensor([[-0.0486, -3.0486],
                    [-1.3133, -0.3133]], grad_fn=<LogSoftmaxBackward0>)
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>X().T</c></summary>
    [Fact]
    public void GradFn_T()
    {
        var t = X().T;
        Assert.Equal(
            """
            tensor([[ 1.,  3.],
                    [-2.,  4.]], grad_fn=<PermuteBackward0>)
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>X().transpose(0, 1)</c></summary>
    [Fact]
    public void GradFn_Transpose()
    {
        var t = X().Transpose(0, 1);
        Assert.Equal(
            """
            tensor([[ 1.,  3.],
                    [-2.,  4.]], grad_fn=<TransposeBackward0>)
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>X().permute(1, 0)</c></summary>
    [Fact]
    public void GradFn_Permute()
    {
        var t = X().Permute(1, 0);
        Assert.Equal(
            """
            tensor([[ 1.,  3.],
                    [-2.,  4.]], grad_fn=<PermuteBackward0>)
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>X().view(4)</c></summary>
    [Fact]
    public void GradFn_View()
    {
        var t = X().View(4);
        Assert.Equal(
            "tensor([ 1., -2.,  3.,  4.], grad_fn=<ViewBackward0>)",
            t.ToString());
    }

    /// <summary>PyTorch: <c>X().reshape(4)</c></summary>
    [Fact]
    public void GradFn_ReshapeOfContiguous()
    {
        var t = X().Reshape(4);
        Assert.Equal(
            "tensor([ 1., -2.,  3.,  4.], grad_fn=<ReshapeAliasBackward0>)",
            t.ToString());
    }

    /// <summary>PyTorch: <c>X().T.reshape(4)</c></summary>
    [Fact]
    public void GradFn_ReshapeOfTransposed()
    {
        var t = X().T.Reshape(4);
        Assert.Equal(
            "tensor([ 1.,  3., -2.,  4.], grad_fn=<UnsafeViewBackward0>)",
            t.ToString());
    }

    /// <summary>PyTorch: <c>X().flatten()</c></summary>
    [Fact]
    public void GradFn_Flatten()
    {
        var t = X().Flatten();
        Assert.Equal(
            "tensor([ 1., -2.,  3.,  4.], grad_fn=<ReshapeAliasBackward0>)",
            t.ToString());
    }

    /// <summary>PyTorch: <c>X()[0]</c></summary>
    [Fact]
    public void GradFn_Select()
    {
        var t = X().Select(0, 0);
        Assert.Equal(
            "tensor([ 1., -2.], grad_fn=<SelectBackward0>)",
            t.ToString());
    }

    /// <summary>PyTorch: <c>X()[:, 1:]</c></summary>
    [Fact]
    public void GradFn_Slice()
    {
        var t = X().Slice(1, 1);
        Assert.Equal(
            """
            tensor([[-2.],
                    [ 4.]], grad_fn=<SliceBackward0>)
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>X().unsqueeze(0)</c></summary>
    [Fact]
    public void GradFn_Unsqueeze()
    {
        var t = X().Unsqueeze(0);
        Assert.Equal(
            """
            tensor([[[ 1., -2.],
                     [ 3.,  4.]]], grad_fn=<UnsqueezeBackward0>)
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>X().reshape(1, 4).squeeze(0)</c></summary>
    [Fact]
    public void GradFn_SqueezeDim()
    {
        var t = X().Reshape(1, 4).Squeeze(0);
        Assert.Equal(
            "tensor([ 1., -2.,  3.,  4.], grad_fn=<SqueezeBackward1>)",
            t.ToString());
    }

    /// <summary>PyTorch: <c>X().squeeze()</c></summary>
    [Fact]
    public void GradFn_SqueezeAll()
    {
        var t = X().Squeeze();
        Assert.Equal(
            """
            tensor([[ 1., -2.],
                    [ 3.,  4.]], grad_fn=<SqueezeBackward0>)
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>X().expand(2, 2, 2)</c></summary>
    [Fact]
    public void GradFn_Expand()
    {
        var t = X().Expand(2, 2, 2);
        Assert.Equal(
            """
            tensor([[[ 1., -2.],
                     [ 3.,  4.]],

                    [[ 1., -2.],
                     [ 3.,  4.]]], grad_fn=<ExpandBackward0>)
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>X().clone()</c></summary>
    [Fact]
    public void GradFn_Clone()
    {
        var t = X().Clone();
        Assert.Equal(
            """
            tensor([[ 1., -2.],
                    [ 3.,  4.]], grad_fn=<CloneBackward0>)
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>X().double()</c></summary>
    [Fact]
    public void GradFn_Double()
    {
        var t = X().Double();
        Assert.Equal(
            """
            tensor([[ 1., -2.],
                    [ 3.,  4.]], dtype=torch.float64, grad_fn=<ToCopyBackward0>)
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>X().float()</c></summary>
    [Fact]
    public void GradFn_FloatOfFloatIsSameLeaf()
    {
        var t = X().Float();
        Assert.Equal(
            """
            tensor([[ 1., -2.],
                    [ 3.,  4.]], requires_grad=True)
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>X().contiguous()</c></summary>
    [Fact]
    public void GradFn_ContiguousOfContiguousIsSameLeaf()
    {
        var t = X().Contiguous();
        Assert.Equal(
            """
            tensor([[ 1., -2.],
                    [ 3.,  4.]], requires_grad=True)
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>X().T.contiguous()</c></summary>
    [Fact]
    public void GradFn_ContiguousOfTransposed()
    {
        var t = X().T.Contiguous();
        Assert.Equal(
            """
            tensor([[ 1.,  3.],
                    [-2.,  4.]], grad_fn=<CloneBackward0>)
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.cat([X(), X()])</c></summary>
    [Fact]
    public void GradFn_Cat()
    {
        var t = Tensor.Cat([X(), X()]);
        Assert.Equal(
            """
            tensor([[ 1., -2.],
                    [ 3.,  4.],
                    [ 1., -2.],
                    [ 3.,  4.]], grad_fn=<CatBackward0>)
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.stack([X(), X()])</c></summary>
    [Fact]
    public void GradFn_Stack()
    {
        var t = Tensor.Stack([X(), X()]);
        Assert.Equal(
            """
            tensor([[[ 1., -2.],
                     [ 3.,  4.]],

                    [[ 1., -2.],
                     [ 3.,  4.]]], grad_fn=<StackBackward0>)
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>X().mm(X())</c></summary>
    [Fact]
    public void GradFn_Mm()
    {
        var t = X().Mm(X());
        Assert.Equal(
            """
            tensor([[ -5., -10.],
                    [ 15.,  10.]], grad_fn=<MmBackward0>)
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>X().matmul(X())</c></summary>
    [Fact]
    public void GradFn_MatMul2D()
    {
        var t = X().MatMul(X());
        Assert.Equal(
            """
            tensor([[ -5., -10.],
                    [ 15.,  10.]], grad_fn=<MmBackward0>)
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>X()[0].dot(X()[1])</c></summary>
    [Fact]
    public void GradFn_Dot()
    {
        var t = X().Select(0, 0).Dot(X().Select(0, 1));
        Assert.Equal(
            "tensor(-5., grad_fn=<DotBackward0>)",
            t.ToString());
    }

    /// <summary>PyTorch: <c>X().mv(X()[0])</c></summary>
    [Fact]
    public void GradFn_Mv()
    {
        var t = X().Mv(X().Select(0, 0));
        Assert.Equal(
            "tensor([ 5., -5.], grad_fn=<MvBackward0>)",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.tensor(2., dtype=f64, requires_grad=True)</c></summary>
    [Fact]
    public void Suffix_ScalarFloat64RequiresGrad()
    {
        var t = Tensor.Scalar(2.0, requiresGrad: true);
        Assert.Equal(
            "tensor(2., dtype=torch.float64, requires_grad=True)",
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.zeros(0, requires_grad=True) * 2</c></summary>
    [Fact]
    public void Suffix_EmptyWithGradFn()
    {
        var t = Tensor.Zeros([0], requiresGrad: true) * 2;
        Assert.Equal(
            "tensor([], grad_fn=<MulBackward0>)",
            t.ToString());
    }

    /// <summary>PyTorch: <c>(torch.arange(60.) / 7).reshape(2, 2, 15)</c></summary>
    [Fact]
    public void Wrap_NestedRowsUseDeeperIndent()
    {
        var t = (Tensor.Arange(0, 60).Float() / 7).Reshape(2, 2, 15);
        Assert.Equal(
            """
            tensor([[[0.0000, 0.1429, 0.2857, 0.4286, 0.5714, 0.7143, 0.8571, 1.0000,
                      1.1429, 1.2857, 1.4286, 1.5714, 1.7143, 1.8571, 2.0000],
                     [2.1429, 2.2857, 2.4286, 2.5714, 2.7143, 2.8571, 3.0000, 3.1429,
                      3.2857, 3.4286, 3.5714, 3.7143, 3.8571, 4.0000, 4.1429]],

                    [[4.2857, 4.4286, 4.5714, 4.7143, 4.8571, 5.0000, 5.1429, 5.2857,
                      5.4286, 5.5714, 5.7143, 5.8571, 6.0000, 6.1429, 6.2857],
                     [6.4286, 6.5714, 6.7143, 6.8571, 7.0000, 7.1429, 7.2857, 7.4286,
                      7.5714, 7.7143, 7.8571, 8.0000, 8.1429, 8.2857, 8.4286]]])
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>torch.arange(2000.).reshape(1000, 2)</c></summary>
    [Fact]
    public void Summary_TallNarrowMatrix()
    {
        var t = Tensor.Arange(0, 2000).Float().Reshape(1000, 2);
        Assert.Equal(
            """
            tensor([[0.0000e+00, 1.0000e+00],
                    [2.0000e+00, 3.0000e+00],
                    [4.0000e+00, 5.0000e+00],
                    ...,
                    [1.9940e+03, 1.9950e+03],
                    [1.9960e+03, 1.9970e+03],
                    [1.9980e+03, 1.9990e+03]])
            """,
            t.ToString());
    }

    /// <summary>PyTorch: <c>(torch.arange(1500.).reshape(3, 500) / 7).requires_grad_() * 2</c></summary>
    [Fact]
    public void Summary_WideShortMatrixWithGradFn()
    {
        var t = (Tensor.Arange(0, 1500).Float().Reshape(3, 500) / 7).SetRequiresGrad() * 2;
        Assert.Equal(
            """
            tensor([[0.0000e+00, 2.8571e-01, 5.7143e-01,  ..., 1.4200e+02, 1.4229e+02,
                     1.4257e+02],
                    [1.4286e+02, 1.4314e+02, 1.4343e+02,  ..., 2.8486e+02, 2.8514e+02,
                     2.8543e+02],
                    [2.8571e+02, 2.8600e+02, 2.8629e+02,  ..., 4.2771e+02, 4.2800e+02,
                     4.2829e+02]], grad_fn=<MulBackward0>)
            """,
            t.ToString());
    }

    /// <summary>torch.tensor([[1., -2.], [3., 4.]], requires_grad=True)</summary>
    private static Tensor X() => Tensor.From(new float[,] { { 1, -2 }, { 3, 4 } }, requiresGrad: true);

    /// <summary>x = torch.tensor([1., 2., 3.], requires_grad=True); (x * x).sum().backward(); x.grad</summary>
    private static Tensor GradAfterBackward()
    {
        var x = Tensor.From(new[] { 1f, 2f, 3f }, requiresGrad: true);
        (x * x).Sum().Backward();
        return x.Grad!;
    }

    /// <summary>torch.zeros(2000) with t[1000] = 1e10: the middle value is summarised away and must not widen the columns.</summary>
    private static Tensor ZerosWithOneLargeMiddleValue()
    {
        var t = Tensor.Zeros([2000]);
        t.Select(0, 1000).FillInPlace(1e10);
        return t;
    }

    /// <summary>x * 2 under torch.no_grad(), x requiring grad: no grad_fn, no requires_grad.</summary>
    private static Tensor NoGradMul()
    {
        var x = Tensor.From(new[] { 1f, 2f }, requiresGrad: true);
        using (Autograd.NoGrad())
        {
            return x * 2;
        }
    }
}
