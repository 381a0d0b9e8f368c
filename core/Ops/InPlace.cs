using DistGrad.Kernels;

namespace DistGrad;

/// <summary>
/// In-place ops. Each computes its out-of-place twin, writes the result into this tensor's memory, bumps
/// the shared version counter and moves this tensor's history onto the new node — so saved tensors that
/// see the change fail loudly in backward, and gradients flow through the in-place op as PyTorch's do.
/// </summary>
public sealed partial class Tensor
{
    public Tensor AddInPlace(Tensor other) => ApplyInPlace(self => self.Add(other), savesSelf: false, other);

    public Tensor SubInPlace(Tensor other) => ApplyInPlace(self => self.Sub(other), savesSelf: false, other);

    public Tensor MulInPlace(Tensor other) => ApplyInPlace(self => self.Mul(other), savesSelf: true, other);

    public Tensor DivInPlace(Tensor other) => ApplyInPlace(self => self.Div(other), savesSelf: true, other);

    public Tensor ClampInPlace(double? min = null, double? max = null) => ApplyInPlace(self => self.Clamp(min, max), savesSelf: true);

    /// <summary>Sets every element to 0.</summary>
    public Tensor ZeroInPlace() => ApplyInPlace(self => self.Filled(0, "ZeroBackward0"), savesSelf: false);

    /// <summary>Sets every element to <paramref name="value"/>.</summary>
    public Tensor FillInPlace(double value) => ApplyInPlace(self => self.Filled(value, "FillBackward2"), savesSelf: false);

    /// <summary>Copies <paramref name="source"/> (broadcast, converted to this dtype) into this tensor.</summary>
    public Tensor CopyFrom(Tensor source)
    {
        if (!Shapes.ExpandableTo(source._shape, _shape))
        {
            throw new ArgumentException($"output with shape {Shapes.Format(_shape)} doesn't match the broadcast shape {Shapes.Format(Shapes.Broadcast(source._shape, _shape))}");
        }

        return ApplyInPlace(self => self.CopiedFrom(source), savesSelf: false, source);
    }

    private Tensor Filled(double value, string name)
    {
        var result = FullLike(this, value);
        return Graph.Record(name, result, [this], null, static (n, g) => [ZerosLike(g)]);
    }

    private Tensor CopiedFrom(Tensor source)
    {
        var result = Empty(_shape, DType, Device);
        Kernels.Copy(source.To(Device).Detach().BroadcastRaw(_shape), result);
        return Graph.Record("CopyBackwards", result, [this, source], null, static (n, g) => [ZerosLike(g), g]);
    }

    /// <summary>
    /// Runs <paramref name="outOfPlace"/> on this tensor and stores the result here. When the op saves its
    /// input for backward, it gets a snapshot carrying this tensor's history, because this memory is about to change.
    /// </summary>
    private Tensor ApplyInPlace(Func<Tensor, Tensor> outOfPlace, bool savesSelf, Tensor? other = null)
    {
        var recording = Autograd.IsGradEnabled && (RequiresGrad || other?.RequiresGrad == true || (ViewBase?.RequiresGrad ?? false));
        if (Autograd.IsGradEnabled)
        {
            if (IsLeaf && RequiresGrad)
            {
                throw new InvalidOperationException("a leaf Variable that requires grad is being used in an in-place operation.");
            }

            if (ViewBase is { IsLeaf: true, RequiresGrad: true })
            {
                throw new InvalidOperationException("a view of a leaf Variable that requires grad is being used in an in-place operation.");
            }
        }

        var input = recording && savesSelf ? Snapshot() : this;
        var result = outOfPlace(input);
        if (!TypePromotion.CanCast(result.DType, DType))
        {
            throw new InvalidOperationException($"result type {result.DType.TorchName()} can't be cast to the desired output type {DType.TorchName()}");
        }

        if (!Shapes.SameShape(result._shape, _shape))
        {
            throw new ArgumentException($"output with shape {Shapes.Format(_shape)} doesn't match the broadcast shape {Shapes.Format(result._shape)}");
        }

        Kernels.Copy(result.Detach(), this);
        Storage.Version++;
        if (recording && result.GradFn != null)
        {
            if (ViewBase != null)
            {
                RebaseView(result);
            }
            else
            {
                GradFn = result.GradFn;
                OutputNr = result.OutputNr;
            }
        }

        return this;
    }

    /// <summary>A copy of the current values that stands for this tensor in the graph (same grad_fn).</summary>
    private Tensor Snapshot()
    {
        var copy = Empty(_shape, DType, Device);
        Kernels.Copy(this, copy);
        return new Tensor(copy.Storage, _shape) { GradFn = GradFn, OutputNr = OutputNr };
    }

    /// <summary>
    /// After an in-place write through a view, the base's new history is "the old base with the view's
    /// region replaced by the result" (PyTorch's CopySlices); the view becomes a view of that.
    /// </summary>
    private void RebaseView(Tensor result)
    {
        var baseTensor = ViewBase!;
        if (!baseTensor.IsContiguous)
        {
            throw new NotSupportedException(
                $"in-place operation on a view of a non-contiguous tensor of shape {Shapes.Format(baseTensor._shape)} that requires grad; make the base contiguous first");
        }

        // The view's geometry relative to its base, applied to any tensor of the base's shape.
        var viewShape = _shape;
        var viewStrides = _strides;
        var relativeOffset = Offset - baseTensor.Offset;
        Layout Region(Layout l) => new(viewShape, viewStrides, l.Offset + relativeOffset);

        var copySlices = Graph.Record("CopySlices", baseTensor.Snapshot(), [baseTensor, result], null, (n, g) =>
        [
            n.NeedsInputGrad(0) ? g - EmbedInZeros(g.GeometryView("AsStridedBackward0", Region, absolute: true), n.InputShape(0), Region, absolute: true) : null,
            n.NeedsInputGrad(1) ? g.GeometryView("AsStridedBackward0", Region, absolute: true) : null,
        ]);
        baseTensor.GradFn = copySlices.GradFn;
        baseTensor.OutputNr = 0;
        GradFn = baseTensor.GeometryView("AsStridedBackward0", Region, absolute: true).GradFn;
        OutputNr = 0;
    }
}
