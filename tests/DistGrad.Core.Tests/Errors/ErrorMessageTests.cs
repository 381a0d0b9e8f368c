namespace DistGrad.Tests.Errors;

/// <summary>
/// Error paths throw clear exceptions. Where DistGrad mirrors PyTorch's wording, the quoted fragments are
/// PyTorch 1.13's message text (RuntimeError/IndexError/ValueError in Python), printed by running the
/// same program under torch 1.13; C#-specific hints (retainGraph: true, allowUnused: true, .Reshape) are
/// checked where DistGrad substitutes them for PyTorch's Python spellings.
/// </summary>
public class ErrorMessageTests
{
    private static Tensor Leaf(params float[] values) => Tensor.From(values, requiresGrad: true);

    /// <summary>Asserts that <paramref name="action"/> throws <typeparamref name="TException"/> (or a subclass) whose message contains every fragment.</summary>
    private static TException Throws<TException>(Func<object?> action, params string[] fragments)
        where TException : Exception
    {
        var ex = Assert.ThrowsAny<TException>(action);
        foreach (var fragment in fragments)
        {
            Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
        }

        return ex;
    }

    private static TException Throws<TException>(Action action, params string[] fragments)
        where TException : Exception =>
        Throws<TException>(() =>
        {
            action();
            return null;
        }, fragments);

    // ------------------------------------------------------------------ backward

    [Fact]
    public void Backward_OnTensorThatDoesNotRequireGrad_Throws()
    {
        // torch.ones(2).sum().backward()
        Throws<InvalidOperationException>(
            () => Tensor.Ones([2]).Sum().Backward(),
            "element 0 of tensors does not require grad and does not have a grad_fn");
        Throws<InvalidOperationException>(
            () => Tensor.Scalar(3f).Backward(),
            "element 0 of tensors does not require grad and does not have a grad_fn");
    }

    [Fact]
    public void Backward_OnResultComputedUnderNoGrad_Throws()
    {
        var x = Leaf(1, 2);
        Tensor y;
        using (Autograd.NoGrad())
        {
            y = (x * 2).Sum();
        }

        Throws<InvalidOperationException>(() => y.Backward(), "element 0 of tensors does not require grad and does not have a grad_fn");
        Assert.Null(x.Grad);
    }

    [Fact]
    public void AutogradGrad_OfOutputThatDoesNotRequireGrad_Throws()
    {
        var x = Leaf(1, 2);
        Throws<InvalidOperationException>(
            () => Autograd.Grad(Tensor.Ones([2]).Sum(), x),
            "element 0 of tensors does not require grad and does not have a grad_fn");
    }

    [Fact]
    public void Backward_NonScalarWithoutGradient_Throws()
    {
        var x = Leaf(1, 2);
        var y = x * 2;
        Throws<InvalidOperationException>(() => y.Backward(), "grad can be implicitly created only for scalar outputs");
        Assert.Null(x.Grad);
    }

    [Fact]
    public void Backward_OneElementNonScalar_IsImplicitlySeeded()
    {
        // PyTorch seeds any one-element output: torch.ones(1, requires_grad=True) * 3 → .backward() works.
        var x = Leaf(1);
        (x * 3).Backward();
        Assert.Equal(new[] { 3f }, x.Grad!.ToArray<float>());
    }

    [Fact]
    public void Backward_SecondTimeThroughFreedGraph_ThrowsAndSaysRetainGraph()
    {
        var x = Leaf(1, 1);
        var y = (x * x).Sum();
        y.Backward();
        var ex = Throws<InvalidOperationException>(
            () => y.Backward(),
            "Trying to backward through the graph a second time",
            "retainGraph: true");
        Assert.DoesNotContain("retain_graph=True", ex.Message, StringComparison.Ordinal);

        // The failed second pass must not have added anything to the leaf.
        Assert.Equal(new[] { 2f, 2f }, x.Grad!.ToArray<float>());
    }

    [Fact]
    public void AutogradGrad_SecondTimeThroughFreedGraph_Throws()
    {
        var x = Leaf(1, 1);
        var y = (x * x).Sum();
        Autograd.Grad(y, x);
        Throws<InvalidOperationException>(() => Autograd.Grad(y, x), "Trying to backward through the graph a second time", "retainGraph: true");
    }

    [Fact]
    public void Backward_SecondTimeWithRetainedGraph_Accumulates()
    {
        // x = torch.ones(2, requires_grad=True); y = (x*x).sum(); y.backward(retain_graph=True); y.backward() → x.grad = [4., 4.]
        var x = Leaf(1, 1);
        var y = (x * x).Sum();
        y.Backward(retainGraph: true);
        y.Backward();
        Assert.Equal(new[] { 4f, 4f }, x.Grad!.ToArray<float>());
    }

    [Fact]
    public void Backward_SecondTimeThroughGraphThatSavedNothing_Works()
    {
        // PyTorch only fails when a freed saved tensor is needed: (x + 1).sum() backward twice gives [2., 2.].
        var x = Leaf(1, 1);
        var y = (x + 1).Sum();
        y.Backward();
        y.Backward();
        Assert.Equal(new[] { 2f, 2f }, x.Grad!.ToArray<float>());
    }

    [Fact]
    public void Backward_GradientOfWrongShape_NamesBothShapes()
    {
        // PyTorch: Mismatch in shape: grad_output[0] has a shape of torch.Size([3]) and output[0] has a shape of torch.Size([2]).
        var y = Leaf(1, 2) * 2;
        Throws<ArgumentException>(
            () => y.Backward(Tensor.Ones([3])),
            "Mismatch in shape",
            "grad_output[0] has a shape of",
            "[3]",
            "output[0] has a shape of",
            "[2]");
    }

    [Fact]
    public void AutogradGrad_GradOutputOfWrongShape_NamesBothShapes()
    {
        // PyTorch: Mismatch in shape: grad_output[0] has a shape of torch.Size([2]) and output[0] has a shape of torch.Size([]).
        var x = Leaf(1, 2);
        Throws<ArgumentException>(
            () => Autograd.Grad([(x * 2).Sum()], [x], [Tensor.Ones([2])]),
            "Mismatch in shape",
            "grad_output[0] has a shape of [2]",
            "output[0] has a shape of []");
    }

    [Fact]
    public void Backward_WithInt64Gradient_IsCastAsPyTorchDoes()
    {
        // PyTorch 1.13 only rejects a complex/real mismatch; an integer (or bool) gradient is cast to the
        // output's dtype: (x*2).backward(torch.ones(2, dtype=torch.long)) → x.grad = tensor([2., 2.]).
        var x = Leaf(1, 1);
        (x * 2).Backward(Tensor.From(new long[] { 1, 1 }));
        Assert.Equal(new[] { 2f, 2f }, x.Grad!.ToArray<float>());
    }

    [Fact]
    public void Backward_WithFloat64GradientForFloat32Output_IsCast()
    {
        var x = Leaf(1, 1);
        (x * 2).Backward(Tensor.From(new[] { 1.0, 1.0 }));
        Assert.Equal(DType.Float32, x.Grad!.DType);
        Assert.Equal(new[] { 2f, 2f }, x.Grad.ToArray<float>());
    }

    // ------------------------------------------------------------------ in-place version check

    [Fact]
    public void Backward_AfterInPlaceChangeOfSavedOutput_NamesProducingNodeAndVersions()
    {
        // x = torch.ones(3, requires_grad=True); y = x.exp(); y.mul_(2); y.sum().backward()
        // PyTorch names the node that produced (and saved) y, ExpBackward0, not the in-place MulBackward0.
        var x = Leaf(1, 1, 1);
        var y = x.Exp();
        y.MulInPlace(2);
        Throws<InvalidOperationException>(
            () => y.Sum().Backward(),
            "one of the variables needed for gradient computation has been modified by an inplace operation: " +
            "[torch.FloatTensor [3]], which is output 0 of ExpBackward0, is at version 1; expected version 0 instead.");
    }

    [Fact]
    public void Backward_AfterInPlaceChangeOfSavedInput_NamesCurrentNodeAndVersions()
    {
        // x = torch.ones(3, requires_grad=True); y = x * 1; z = y * y; y.add_(1); z.sum().backward()
        var x = Leaf(1, 1, 1);
        var y = x * 1;
        var z = y * y;
        y.AddInPlace(1);
        Throws<InvalidOperationException>(
            () => z.Sum().Backward(),
            "one of the variables needed for gradient computation has been modified by an inplace operation: " +
            "[torch.FloatTensor [3]], which is output 0 of AddBackward0, is at version 1; expected version 0 instead.");
    }

    [Fact]
    public void Backward_AfterInPlaceChangeOfSavedNonGradTensor_GivesVersionsWithoutNode()
    {
        // a = torch.ones(3, requires_grad=True); b = torch.ones(3); z = a * b; b.add_(1); z.sum().backward()
        var a = Leaf(1, 1, 1);
        var b = Tensor.Ones([3]);
        var z = a * b;
        b.AddInPlace(1);
        var ex = Throws<InvalidOperationException>(
            () => z.Sum().Backward(),
            "one of the variables needed for gradient computation has been modified by an inplace operation: " +
            "[torch.FloatTensor [3]] is at version 1; expected version 0 instead.");
        Assert.DoesNotContain("which is output", ex.Message, StringComparison.Ordinal);
    }

    // ------------------------------------------------------------------ shapes

    [Theory]
    [InlineData("+")]
    [InlineData("-")]
    [InlineData("*")]
    [InlineData("/")]
    [InlineData("<")]
    public void Broadcast_SizeMismatch_NamesSizesAndShapes(string op)
    {
        // torch.ones(2) + torch.ones(3): The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0
        var a = Tensor.Ones([2]);
        var b = Tensor.Ones([3]);
        Func<object?> action = op switch
        {
            "+" => () => a + b,
            "-" => () => a - b,
            "*" => () => a * b,
            "/" => () => a / b,
            _ => () => a < b,
        };
        Throws<ArgumentException>(
            action,
            "The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0",
            "[2]",
            "[3]");
    }

    [Fact]
    public void Broadcast_SizeMismatchInHigherRank_CountsDimsOfTheResult()
    {
        // torch.ones(2, 3) + torch.ones(4, 1, 2): ... tensor a (3) ... tensor b (2) at non-singleton dimension 2
        Throws<ArgumentException>(
            () => Tensor.Ones([2, 3]) + Tensor.Ones([4, 1, 2]),
            "The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 2",
            "[2, 3]",
            "[4, 1, 2]");
    }

    [Fact]
    public void Broadcast_SizeMismatchWithRequiresGrad_ThrowsBeforeRecording()
    {
        var x = Leaf(1, 2);
        Throws<ArgumentException>(() => x * Tensor.Ones([3]), "The size of tensor a (2) must match the size of tensor b (3)");
    }

    [Fact]
    public void Mm_ShapeMismatch_MatchesPyTorch()
    {
        Throws<ArgumentException>(
            () => Tensor.Ones([2, 3]).Mm(Tensor.Ones([4, 5])),
            "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)");
    }

    [Fact]
    public void MatMul_TwoMatricesShapeMismatch_MatchesPyTorch()
    {
        // torch.ones(2, 3).matmul(torch.ones(4, 5)): same message as mm.
        Throws<ArgumentException>(
            () => Tensor.Ones([2, 3]).MatMul(Tensor.Ones([4, 5])),
            "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)");
    }

    [Fact]
    public void MatMul_ZeroDimOperand_MatchesPyTorch()
    {
        Throws<ArgumentException>(
            () => Tensor.Scalar(1f).MatMul(Tensor.Ones([2])),
            "both arguments to matmul need to be at least 1D, but they are 0D and 1D");
    }

    [Fact]
    public void Dot_LengthMismatch_MatchesPyTorch()
    {
        Throws<ArgumentException>(
            () => Tensor.Ones([2]).Dot(Tensor.Ones([3])),
            "inconsistent tensor size, expected tensor [2] and src [3] to have the same number of elements, but got 2 and 3 elements respectively");
    }

    [Fact]
    public void Mv_SizeMismatch_NamesBothShapes()
    {
        // PyTorch's own text is "size mismatch, got 2, 2x3,2"; DistGrad names the shapes.
        Throws<ArgumentException>(() => Tensor.Ones([2, 3]).Mv(Tensor.Ones([2])), "size mismatch", "[2, 3]", "[2]");
    }

    [Fact]
    public void View_OnNonViewableStrides_ThrowsAndSuggestsReshape()
    {
        var t = Tensor.Arange(0, 6).Float().Reshape(2, 3).T;
        Throws<InvalidOperationException>(
            () => t.View(6),
            "view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces).",
            "Reshape");

        // torch.arange(6.).reshape(2, 3).t().reshape(6) → tensor([0., 3., 1., 4., 2., 5.])
        Assert.Equal(new[] { 0f, 3f, 1f, 4f, 2f, 5f }, t.Reshape(6).ToArray<float>());
    }

    [Fact]
    public void ViewAndReshape_WrongElementCount_MatchPyTorch()
    {
        var t = Tensor.Arange(0, 6).Float();
        Throws<ArgumentException>(() => t.View(5), "shape '[5]' is invalid for input of size 6");
        Throws<ArgumentException>(() => t.Reshape(5), "shape '[5]' is invalid for input of size 6");
        Throws<ArgumentException>(() => t.View(-1, 4), "shape '[-1, 4]' is invalid for input of size 6");
        Throws<ArgumentException>(() => t.Reshape(2, 2, 2), "shape '[2, 2, 2]' is invalid for input of size 6");
        Throws<ArgumentException>(() => t.View(-1, -1), "only one dimension can be inferred");
    }

    [Fact]
    public void Expand_NonSingletonMismatch_MatchesPyTorch()
    {
        Throws<ArgumentException>(
            () => Tensor.Ones([3]).Expand(4),
            "The expanded size of the tensor (4) must match the existing size (3) at non-singleton dimension 0.  Target sizes: [4].  Tensor sizes: [3]");
        Throws<ArgumentException>(
            () => Tensor.Ones([2, 3]).Expand(2, 4),
            "The expanded size of the tensor (4) must match the existing size (3) at non-singleton dimension 1.  Target sizes: [2, 4].  Tensor sizes: [2, 3]");
    }

    [Fact]
    public void Expand_FewerSizesThanDims_MatchesPyTorch()
    {
        Throws<ArgumentException>(
            () => Tensor.Ones([2, 3]).Expand(3),
            "the number of sizes provided (1) must be greater or equal to the number of dimensions in the tensor (2)");
    }

    [Fact]
    public void Cat_MismatchedSizes_MatchesPyTorch()
    {
        Throws<ArgumentException>(
            () => Tensor.Cat([Tensor.Ones([2, 3]), Tensor.Ones([2, 4])]),
            "Sizes of tensors must match except in dimension 0. Expected size 3 but got size 4 for tensor number 1 in the list");
        Throws<ArgumentException>(
            () => Tensor.Cat([Tensor.Ones([2, 3]), Tensor.Ones([3])]),
            "Tensors must have same number of dimensions: got 2 and 1");
        Throws<ArgumentException>(() => Tensor.Cat([]), "expected a non-empty list of Tensors");
        Throws<ArgumentException>(
            () => Tensor.Cat([Tensor.Scalar(1f), Tensor.Scalar(2f)]),
            "zero-dimensional tensor (at position 0) cannot be concatenated");
    }

    [Fact]
    public void Cat_AlongDim1_MismatchedRows_NamesDim()
    {
        // torch.cat([torch.ones(2, 3), torch.ones(3, 3)], 1)
        Throws<ArgumentException>(
            () => Tensor.Cat([Tensor.Ones([2, 3]), Tensor.Ones([3, 3])], 1),
            "Sizes of tensors must match except in dimension 1. Expected size 2 but got size 3 for tensor number 1 in the list");
    }

    [Fact]
    public void Stack_MismatchedShapes_MatchesPyTorch()
    {
        Throws<ArgumentException>(
            () => Tensor.Stack([Tensor.Ones([2]), Tensor.Ones([3])]),
            "stack expects each tensor to be equal size, but got [2] at entry 0 and [3] at entry 1");
    }

    [Fact]
    public void Permute_WrongCountOrDuplicates_MatchesPyTorch()
    {
        var t = Tensor.Ones([2, 3]);
        Throws<ArgumentException>(
            () => t.Permute(0),
            "number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = 2 is not equal to len(dims) = 1");
        Throws<ArgumentException>(() => t.Permute(0, 0), "permute(): duplicate dims are not allowed");
    }

    [Fact]
    public void Flatten_StartAfterEnd_MatchesPyTorch()
    {
        Throws<ArgumentException>(() => Tensor.Ones([2, 3, 4]).Flatten(2, 1), "flatten() has invalid args", "cannot come after end_dim");
    }

    // ------------------------------------------------------------------ dims and indices

    [Fact]
    public void Select_IndexOutOfRange_MatchesPyTorchIndexing()
    {
        // torch.ones(3)[5] → IndexError: index 5 is out of bounds for dimension 0 with size 3
        Throws<IndexOutOfRangeException>(() => Tensor.Ones([3]).Select(0, 5), "index 5 is out of bounds for dimension 0 with size 3");
        Throws<IndexOutOfRangeException>(() => Tensor.Ones([3]).Select(0, -4), "index -4 is out of bounds for dimension 0 with size 3");
        Throws<IndexOutOfRangeException>(() => Tensor.Ones([2, 3]).Select(1, 3), "index 3 is out of bounds for dimension 1 with size 3");
    }

    [Fact]
    public void Indexer_IndexOutOfRange_MatchesPyTorch()
    {
        var t = Tensor.Ones([3]);
        Throws<IndexOutOfRangeException>(() => t[5], "index 5 is out of bounds for dimension 0 with size 3");
        Throws<IndexOutOfRangeException>(() => t[0, 0], "too many indices for tensor of dimension 1");
    }

    [Theory]
    [InlineData("Sum", "[-2, 1], but got 5")]
    [InlineData("SumNegative", "[-2, 1], but got -3")]
    [InlineData("Mean", "[-2, 1], but got 2")]
    [InlineData("Transpose", "[-2, 1], but got 2")]
    [InlineData("Unsqueeze", "[-3, 2], but got 4")]
    [InlineData("Softmax", "[-2, 1], but got 2")]
    [InlineData("Select", "[-2, 1], but got 2")]
    [InlineData("Squeeze", "[-2, 1], but got 3")]
    [InlineData("Cat", "[-2, 1], but got 2")]
    public void DimOutOfRange_MatchesPyTorch(string op, string range)
    {
        // torch.ones(2, 3).sum(5) → IndexError: Dimension out of range (expected to be in range of [-2, 1], but got 5)
        var t = Tensor.Ones([2, 3]);
        Func<object?> action = op switch
        {
            "Sum" => () => t.Sum(5),
            "SumNegative" => () => t.Sum(-3),
            "Mean" => () => t.Mean(2),
            "Transpose" => () => t.Transpose(0, 2),
            "Unsqueeze" => () => t.Unsqueeze(4),
            "Softmax" => () => t.Softmax(2),
            "Select" => () => t.Select(2, 0),
            "Squeeze" => () => t.Squeeze(3),
            _ => () => Tensor.Cat([t, t], 2),
        };
        var ex = Assert.ThrowsAny<ArgumentException>(action);
        Assert.Contains("Dimension out of range (expected to be in range of " + range + ")", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Sum_RepeatedDim_MatchesPyTorch()
    {
        Throws<ArgumentException>(() => Tensor.Ones([2, 3]).Sum([0, 0]), "dim 0 appears multiple times in the list of dims");
    }

    [Fact]
    public void MaskIndexing_MaskShapeNotMatchingLeadingDims_Throws()
    {
        // torch.ones(2, 3)[torch.tensor([True, False, True])] → IndexError: The shape of the mask [3] at index 0
        // does not match the shape of the indexed tensor [2, 3] at index 0. (A mask indexes the leading dims;
        // it is not broadcast against the trailing ones.)
        var t = Tensor.Ones([2, 3]);
        var mask = Tensor.From(new[] { true, false, true });
        Throws<ArgumentException>(() => t[mask], "The shape of the mask [3]", "does not match the shape of the indexed tensor [2, 3]");
    }

    [Fact]
    public void MaskIndexing_MaskOverLeadingDims_SelectsRowsInsteadOfThrowing()
    {
        // torch.arange(6.).reshape(2, 3)[torch.tensor([True, False])] → tensor([[0., 1., 2.]])
        var t = Tensor.Arange(0, 6).Float().Reshape(2, 3);
        var rows = t[Tensor.From(new[] { true, false })];
        Assert.Equal("tensor([[0., 1., 2.]])", rows.ToString());
    }

    [Fact]
    public void MaskIndexing_WrongLength_Throws()
    {
        // torch.ones(3)[torch.tensor([True, False])] → The shape of the mask [2] at index 0 does not match the shape of the indexed tensor [3] at index 0
        Throws<ArgumentException>(
            () => Tensor.Ones([3])[Tensor.From(new[] { true, false })],
            "The shape of the mask [2]",
            "does not match the shape of the indexed tensor [3]");
    }

    [Fact]
    public void Slice_NonPositiveStep_Throws()
    {
        // torch.ones(3)[::-1] → ValueError: step must be greater than zero
        Throws<ArgumentException>(() => Tensor.Ones([3]).Slice(0, step: -1), "step");
        Throws<ArgumentException>(() => Tensor.Ones([3]).Slice(0, step: 0), "step");
    }

    // ------------------------------------------------------------------ requires_grad

    [Fact]
    public void RequiresGradFalse_OnNonLeaf_Throws()
    {
        var y = Leaf(1, 2) * 2;
        Throws<InvalidOperationException>(() => y.RequiresGrad = false, "you can only change requires_grad flags of leaf variables");
        Throws<InvalidOperationException>(() => y.SetRequiresGrad(false), "you can only change requires_grad flags of leaf variables");
        Assert.True(y.RequiresGrad);
    }

    [Fact]
    public void SetRequiresGradTrue_OnNonLeaf_IsAllowed()
    {
        // PyTorch's y.requires_grad_(True) on a non-leaf is a no-op.
        var y = Leaf(1, 2) * 2;
        Assert.Same(y, y.SetRequiresGrad(true));
        Assert.True(y.RequiresGrad);
        Assert.False(y.IsLeaf);
    }

    [Fact]
    public void RequiresGradPropertySetTrue_OnNonLeaf_ThrowsAsPyTorchAttribute()
    {
        // y.requires_grad = True on a non-leaf: RuntimeError: you can only change requires_grad flags of leaf variables.
        // (The attribute throws for either value; only requires_grad_(True) is a no-op.)
        var y = Leaf(1, 2) * 2;
        Throws<InvalidOperationException>(() => y.RequiresGrad = true, "you can only change requires_grad flags of leaf variables");
    }

    [Fact]
    public void RequiresGrad_OnInt64OrBoolTensor_Throws()
    {
        // torch.tensor([1, 2]).requires_grad_() → only Tensors of floating point dtype can require gradients
        Throws<InvalidOperationException>(() => Tensor.From(new long[] { 1, 2 }).SetRequiresGrad(), "only Tensors of floating point dtype can require gradients");
        Throws<InvalidOperationException>(() => Tensor.From(new long[] { 1, 2 }).RequiresGrad = true, "only Tensors of floating point dtype can require gradients");
        Throws<InvalidOperationException>(() => Tensor.From(new[] { true }).SetRequiresGrad(), "only Tensors of floating point dtype can require gradients");
        Throws<InvalidOperationException>(() => Tensor.Zeros([2], DType.Int64, requiresGrad: true), "of floating point");
        Throws<InvalidOperationException>(() => Tensor.Arange(0, 3).SetRequiresGrad(), "of floating point");

        // Turning it off is always fine.
        Assert.False(Tensor.From(new long[] { 1, 2 }).SetRequiresGrad(false).RequiresGrad);
    }

    [Fact]
    public void RetainGrad_OnTensorThatDoesNotRequireGrad_Throws()
    {
        Throws<InvalidOperationException>(() => Tensor.Ones([2]).RetainGrad(), "can't retain_grad on Tensor that has requires_grad=False");
    }

    [Fact]
    public void GradSetter_WrongShapeOrDtype_Throws()
    {
        var x = Leaf(1, 2);
        Throws<ArgumentException>(() => x.Grad = Tensor.Ones([3]), "assigned grad has data of a different size");
        Throws<ArgumentException>(() => x.Grad = Tensor.From(new[] { 1.0, 1.0 }), "assigned grad has");
        Assert.Null(x.Grad);
    }

    // ------------------------------------------------------------------ in-place

    [Theory]
    [InlineData("AddInPlace")]
    [InlineData("SubInPlace")]
    [InlineData("MulInPlace")]
    [InlineData("DivInPlace")]
    [InlineData("ClampInPlace")]
    [InlineData("ZeroInPlace")]
    [InlineData("FillInPlace")]
    [InlineData("CopyFrom")]
    [InlineData("MaskedAssign")]
    public void InPlace_OnLeafThatRequiresGrad_Throws(string op)
    {
        var x = Leaf(1, 2);
        Throws<InvalidOperationException>(() => ApplyInPlace(x, op), "a leaf Variable that requires grad is being used in an in-place operation.");

        // Nothing was written, and the tensor is still an untouched leaf.
        Assert.Equal(new[] { 1f, 2f }, x.ToArray<float>());
        Assert.Equal(0, x.Version);
        Assert.True(x.IsLeaf);
        Assert.Null(x.GradFn);
    }

    /// <summary>The printed value is PyTorch's: x = torch.tensor([1., 2.], requires_grad=True); with torch.no_grad(): op(x); print(x).</summary>
    [Theory]
    [InlineData("AddInPlace", "tensor([2., 3.], requires_grad=True)")]
    [InlineData("SubInPlace", "tensor([0., 1.], requires_grad=True)")]
    [InlineData("MulInPlace", "tensor([2., 4.], requires_grad=True)")]
    [InlineData("DivInPlace", "tensor([0.5000, 1.0000], requires_grad=True)")]
    [InlineData("ClampInPlace", "tensor([1.0000, 1.5000], requires_grad=True)")]
    [InlineData("ZeroInPlace", "tensor([0., 0.], requires_grad=True)")]
    [InlineData("FillInPlace", "tensor([7., 7.], requires_grad=True)")]
    [InlineData("CopyFrom", "tensor([5., 6.], requires_grad=True)")]
    [InlineData("MaskedAssign", "tensor([1., 0.], requires_grad=True)")]
    public void InPlace_OnLeafThatRequiresGrad_IsAllowedUnderNoGrad(string op, string printed)
    {
        var x = Leaf(1, 2);
        using (Autograd.NoGrad())
        {
            ApplyInPlace(x, op);
        }

        Assert.Equal(printed, x.ToString());
        Assert.True(x.Version > 0);
        Assert.True(x.IsLeaf);
        Assert.True(x.RequiresGrad);
        Assert.Null(x.GradFn);
        Assert.Null(x.Grad);
    }

    private static Tensor ApplyInPlace(Tensor t, string op) => op switch
    {
        "AddInPlace" => t.AddInPlace(1),
        "SubInPlace" => t.SubInPlace(1),
        "MulInPlace" => t.MulInPlace(2),
        "DivInPlace" => t.DivInPlace(2),
        "ClampInPlace" => t.ClampInPlace(max: 1.5),
        "ZeroInPlace" => t.ZeroInPlace(),
        "FillInPlace" => t.FillInPlace(7),
        "CopyFrom" => t.CopyFrom(Tensor.From(new[] { 5f, 6f })),
        "MaskedAssign" => MaskedAssign(t),
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    private static Tensor MaskedAssign(Tensor t)
    {
        t[t > 1.5f] = 0f;
        return t;
    }

    [Fact]
    public void InPlace_OnViewOfLeafThatRequiresGrad_Throws()
    {
        // x = torch.ones(2, 2, requires_grad=True); x[0].mul_(2) / x.view(4).add_(1) / x[0].zero_()
        var x = Tensor.Ones([2, 2], requiresGrad: true);
        const string message = "a view of a leaf Variable that requires grad is being used in an in-place operation.";
        Throws<InvalidOperationException>(() => x.Select(0, 0).MulInPlace(2), message);
        Throws<InvalidOperationException>(() => x.View(4).AddInPlace(1), message);
        Throws<InvalidOperationException>(() => x.Select(0, 0).ZeroInPlace(), message);
        Throws<InvalidOperationException>(() => x.T.FillInPlace(3), message);
        Assert.Equal(new[] { 1f, 1f, 1f, 1f }, x.ToArray<float>());
        Assert.Equal(0, x.Version);
    }

    [Fact]
    public void InPlace_OnViewOfLeafThatRequiresGrad_IsAllowedUnderNoGrad()
    {
        var x = Tensor.Ones([2, 2], requiresGrad: true);
        using (Autograd.NoGrad())
        {
            x.Select(0, 0).MulInPlace(2);
        }

        Assert.Equal(new[] { 2f, 2f, 1f, 1f }, x.ToArray<float>());
        Assert.True(x.IsLeaf);
        Assert.Equal(1, x.Version);
    }

    [Fact]
    public void InPlace_OnTensorThatDoesNotRequireGrad_IsAllowed()
    {
        var t = Tensor.Ones([2]);
        t.MulInPlace(3);
        Assert.Equal(new[] { 3f, 3f }, t.ToArray<float>());
        Assert.Equal(1, t.Version);
    }

    [Fact]
    public void InPlace_ResultWouldNeedBroadcastOfSelf_Throws()
    {
        // torch.ones(2).add_(torch.ones(2, 2)) → output with shape [2] doesn't match the broadcast shape [2, 2]
        var t = Tensor.Ones([2]);
        Throws<ArgumentException>(() => t.AddInPlace(Tensor.Ones([2, 2])), "output with shape [2] doesn't match the broadcast shape [2, 2]");
        Assert.Equal(new[] { 1f, 1f }, t.ToArray<float>());
    }

    [Fact]
    public void InPlace_FloatResultIntoInt64_Throws()
    {
        // torch.ones(2, dtype=torch.long).mul_(torch.ones(2) * 1.5) → result type Float can't be cast to the desired output type Long
        var t = Tensor.Ones([2], DType.Int64);
        Throws<InvalidOperationException>(() => t.MulInPlace(Tensor.Ones([2]) * 1.5f), "can't be cast to the desired output type");
    }

    [Fact]
    public void CopyFrom_NonBroadcastableSource_NamesShapes()
    {
        Throws<ArgumentException>(() => Tensor.Ones([3]).CopyFrom(Tensor.Ones([2])), "[2]", "[3]");
    }

    // ------------------------------------------------------------------ Autograd.Grad

    [Fact]
    public void AutogradGrad_UnusedInput_ThrowsWithoutAllowUnused()
    {
        var x = Leaf(1, 1);
        var unused = Leaf(1, 1);
        var y = (x * 2).Sum();
        var ex = Throws<InvalidOperationException>(
            () => Autograd.Grad([y], [x, unused]),
            "One of the differentiated Tensors appears to not have been used in the graph.",
            "allowUnused: true");
        Assert.DoesNotContain("allow_unused=True", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AutogradGrad_UnusedInput_ReturnsNullWithAllowUnused()
    {
        // torch.autograd.grad((x*2).sum(), [x, z], allow_unused=True) → (tensor([2., 2.]), None)
        var x = Leaf(1, 1);
        var unused = Leaf(1, 1);
        var grads = Autograd.Grad([(x * 2).Sum()], [x, unused], allowUnused: true);
        Assert.Equal(2, grads.Length);
        Assert.Equal("tensor([2., 2.])", grads[0]!.ToString());
        Assert.Null(grads[1]);
        Assert.Null(x.Grad);
        Assert.Null(unused.Grad);

        Assert.Null(Autograd.Grad((x * 2).Sum(), unused, allowUnused: true));
    }

    [Fact]
    public void AutogradGrad_InputThatDoesNotRequireGrad_Throws()
    {
        var x = Leaf(1, 1);
        var constant = Tensor.Ones([2]);
        Throws<InvalidOperationException>(() => Autograd.Grad([(x * 2).Sum()], [constant]), "One of the differentiated Tensors does not require grad");
    }

    [Fact]
    public void AutogradGrad_GradOutputsCountMismatch_Throws()
    {
        // torch.autograd.grad([y1, y2], [x], [g]) → got 2 tensors and 1 gradients
        var x = Leaf(1, 1);
        Throws<ArgumentException>(() => Autograd.Grad([(x * 2).Sum(), (x * 3).Sum()], [x], [Tensor.Scalar(1f)]), "2", "1");
    }

    [Fact]
    public void AutogradGrad_NoInputs_Throws()
    {
        var x = Leaf(1, 1);
        Throws<ArgumentException>(() => Autograd.Grad([(x * 2).Sum()], Array.Empty<Tensor>()), "grad requires");
    }

    // ------------------------------------------------------------------ values, hooks, dtypes

    [Fact]
    public void Item_OnMultiElementTensor_Throws()
    {
        // torch.ones(2, 3).item() → ValueError: only one element tensors can be converted to Python scalars
        Throws<InvalidOperationException>(() => Tensor.Ones([2, 3]).Item(), "only one element tensors can be converted to");
        Throws<InvalidOperationException>(() => Tensor.From(Array.Empty<float>()).Item(), "only one element tensors can be converted to");
        Assert.Equal(2.5, Tensor.From(new[] { 2.5f }).Item());
        Assert.Equal(1.0, Tensor.Ones([1, 1]).Item());
    }

    [Fact]
    public void RegisterHook_OnTensorThatDoesNotRequireGrad_Throws()
    {
        Throws<InvalidOperationException>(() => Tensor.Ones([2]).RegisterHook(g => g), "cannot register a hook on a tensor that doesn't require gradient");
        Throws<InvalidOperationException>(() => Tensor.Ones([2]).RegisterPostAccumulateGradHook(_ => { }), "cannot register a hook on a tensor that doesn't require gradient");
    }

    [Fact]
    public void RegisterPostAccumulateGradHook_OnNonLeaf_Throws()
    {
        var y = Leaf(1, 2) * 2;
        Throws<InvalidOperationException>(() => y.RegisterPostAccumulateGradHook(_ => { }), "post accumulate grad hooks cannot be registered on non-leaf tensors");
    }

    [Fact]
    public void Mean_OfInt64OrBoolTensor_MatchesPyTorch()
    {
        // torch.arange(3).mean() → mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: Long
        Throws<InvalidOperationException>(
            () => Tensor.Arange(0, 3).Mean(),
            "mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: Long");
        Throws<InvalidOperationException>(
            () => Tensor.Arange(0, 6).Reshape(2, 3).Mean(0),
            "mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: Long");
        Throws<InvalidOperationException>(
            () => Tensor.From(new[] { true, false }).Mean(),
            "mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: Bool");
    }

    [Fact]
    public void BoolSubtractionAndNegation_AreRejected()
    {
        var a = Tensor.From(new[] { true });
        var b = Tensor.From(new[] { false });
        Throws<InvalidOperationException>(() => a - b, "Subtraction, the `-` operator, with two bool tensors is not supported.");
        Throws<InvalidOperationException>(() => -a, "Negation, the `-` operator, on a bool tensor is not supported.");
    }

    [Fact]
    public void Clamp_WithoutBounds_MatchesPyTorch()
    {
        Throws<ArgumentException>(() => Tensor.Ones([3]).Clamp(), "At least one of 'min' or 'max' must not be None");
    }

    [Fact]
    public void Max_OfEmptyTensor_MatchesPyTorch()
    {
        Throws<ArgumentException>(
            () => Tensor.From(Array.Empty<float>()).Max(),
            "max(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.");
    }

    [Fact]
    public void Factories_InvalidArguments_MatchPyTorch()
    {
        Throws<ArgumentException>(() => Tensor.Zeros([-1]), "Trying to create tensor with negative dimension -1: [-1]");
        Throws<ArgumentException>(() => Tensor.Arange(0, 10, 0), "step must be nonzero");
        Throws<ArgumentException>(() => Tensor.From(new[] { 1f, 2f, 3f }, [2, 2]), "3", "[2, 2]");
    }

    // ------------------------------------------------------------------ GradCheck

    [Fact]
    public void GradCheck_Float32Input_ThrowsAskingForFloat64()
    {
        // PyTorch only warns ("Input #0 requires gradient and is not a double precision floating point") and then
        // fails on the Jacobian; DistGrad refuses float32 up front with an explanation.
        var x = Tensor.From(new[] { 1f, 2f }, requiresGrad: true);
        var ex = Assert.ThrowsAny<ArgumentException>(() => GradCheck.Check(t => t * 2, x));
        Assert.Contains("float64", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void GradCheck_NoInputRequiresGrad_Throws()
    {
        var x = Tensor.From(new[] { 1.0, 2.0 });
        Assert.ThrowsAny<ArgumentException>(() => GradCheck.Check(t => t * 2, x));
    }

    [Fact]
    public void GradCheck_Float64Input_Passes()
    {
        var x = Tensor.From(new[] { 1.0, 2.0 }, requiresGrad: true);
        Assert.True(GradCheck.Check(t => t * t, x));
    }
}
