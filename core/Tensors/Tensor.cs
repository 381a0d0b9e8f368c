using DistGrad.Kernels;

namespace DistGrad;

/// <summary>
/// An n-dimensional array on a device with PyTorch's autograd semantics: storage + shape + strides +
/// offset + dtype, and the autograd metadata (<see cref="RequiresGrad"/>, <see cref="Grad"/>,
/// <see cref="GradFn"/>, version counter, hooks). Views share storage.
/// </summary>
public sealed partial class Tensor
{
    private readonly int[] _shape;
    private readonly int[] _strides;
    private bool _requiresGrad;
    private Tensor? _grad;

    internal Tensor(Storage storage, int[] shape, int[]? strides = null, int offset = 0)
    {
        Storage = storage;
        _shape = shape;
        _strides = strides ?? Shapes.ContiguousStrides(shape);
        Offset = offset;
        Numel = Shapes.Numel(shape);
    }

    internal Storage Storage { get; private set; }

    internal int[] ShapeRef => _shape;

    internal int[] StridesRef => _strides;

    /// <summary>Sizes of each dimension: [] for a scalar, [2, 3] for a matrix.</summary>
    public int[] Shape => (int[])_shape.Clone();

    /// <summary>Elements skipped in storage per step along each dimension.</summary>
    public int[] Strides => (int[])_strides.Clone();

    /// <summary>Where the first element sits in storage.</summary>
    public int Offset { get; }

    /// <summary>Number of dimensions.</summary>
    public int Dim => _shape.Length;

    /// <summary>Number of elements.</summary>
    public int Numel { get; }

    public DType DType => Storage.DType;

    public Device Device => Storage.Device;

    internal IKernels Kernels => KernelRegistry.For(Storage.Device);

    /// <summary>Size of one dimension (negative counts from the end).</summary>
    public int Size(int dim) => _shape[Shapes.NormalizeDim(dim, Dim)];

    public bool IsContiguous
    {
        get
        {
            var expected = 1;
            for (var i = _shape.Length - 1; i >= 0; i--)
            {
                if (_shape[i] != 1 && _strides[i] != expected)
                {
                    return false;
                }

                expected *= _shape[i];
            }

            return true;
        }
    }

    /// <summary>True for a Python-number operand wrapped as a tensor: it never promotes a tensor's dtype.</summary>
    internal bool IsWrappedNumber => WrappedValue != null;

    /// <summary>The C# number a wrapped-number tensor holds (null for every other tensor).</summary>
    internal WrappedNumber? WrappedValue { get; init; }

    /// <summary>The tensor this one is a view of, when it is one (the base never is a view itself).</summary>
    internal Tensor? ViewBase { get; init; }

    // ---------------------------------------------------------------- autograd metadata

    /// <summary>The node that made this tensor (null for leaves).</summary>
    public Node? GradFn { get; internal set; }

    /// <summary>Which output of <see cref="GradFn"/> this tensor is.</summary>
    internal int OutputNr { get; set; }

    /// <summary>Whether autograd records operations on this tensor.</summary>
    public bool RequiresGrad
    {
        get => _requiresGrad || GradFn != null;
        set
        {
            if (GradFn != null)
            {
                throw new InvalidOperationException(value
                    ? "you can only change requires_grad flags of leaf variables."
                    : "you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use varNoGrad = var.Detach().");
            }

            if (value && !DType.IsFloating())
            {
                throw new InvalidOperationException($"only Tensors of floating point dtype can require gradients (this tensor is {DType.TorchName()})");
            }

            _requiresGrad = value;
        }
    }

    /// <summary>Sets <see cref="RequiresGrad"/> and returns this tensor (PyTorch's requires_grad_).</summary>
    public Tensor SetRequiresGrad(bool requiresGrad = true)
    {
        // As requires_grad_(True): a non-leaf already requires grad, so asking again changes nothing.
        if (!(requiresGrad && GradFn != null))
        {
            RequiresGrad = requiresGrad;
        }

        return this;
    }

    /// <summary>True for tensors made by the user rather than by a recorded operation.</summary>
    public bool IsLeaf => GradFn == null;

    /// <summary>The accumulated gradient: null until a backward pass reaches this leaf (or a retained non-leaf).</summary>
    public Tensor? Grad
    {
        get => _grad;
        set
        {
            if (value != null)
            {
                if (!Shapes.SameShape(value.ShapeRef, _shape))
                {
                    throw new ArgumentException($"assigned grad has data of a different size: grad {Shapes.Format(value.ShapeRef)}, tensor {Shapes.Format(_shape)}");
                }

                if (value.DType != DType)
                {
                    throw new ArgumentException($"assigned grad has dtype {value.DType.TorchName()}, but the tensor has {DType.TorchName()}");
                }
            }

            _grad = value;
        }
    }

    /// <summary>Bumped by each in-place operation on this tensor or a view sharing its storage.</summary>
    public int Version => Storage.Version;

    /// <summary>Whether <see cref="RetainGrad"/> was called on this non-leaf.</summary>
    public bool RetainsGrad { get; private set; }

    internal AccumulateGrad? GradAccumulator { get; set; }

    /// <summary>Keeps the gradient of a non-leaf tensor in <see cref="Grad"/> after backward.</summary>
    public void RetainGrad()
    {
        if (!RequiresGrad)
        {
            throw new InvalidOperationException("can't retain_grad on Tensor that has requires_grad=False");
        }

        if (IsLeaf || RetainsGrad)
        {
            return;
        }

        RetainsGrad = true;
        GradFn!.AddRetainGrad(OutputNr, this);
    }

    /// <summary>A tensor that shares storage with this one and has no autograd history.</summary>
    public Tensor Detach() => new(Storage, _shape, _strides, Offset);

    /// <summary>Where a gradient for this tensor enters the graph: its grad_fn output, or its AccumulateGrad.</summary>
    internal (Node? Node, int InputNr) GradientEdge()
    {
        if (GradFn != null)
        {
            return (GradFn, OutputNr);
        }

        if (_requiresGrad)
        {
            GradAccumulator ??= new AccumulateGrad(this);
            return (GradAccumulator, 0);
        }

        return (null, 0);
    }

    // ---------------------------------------------------------------- values

    /// <summary>The single value as a double; throws when the tensor has more than one element.</summary>
    public double Item()
    {
        if (Numel != 1)
        {
            throw new InvalidOperationException($"only one element tensors can be converted to scalars (this tensor has shape {Shapes.Format(_shape)})");
        }

        return Kernels.ToHost(this) switch
        {
            float[] f => f[0],
            double[] d => d[0],
            long[] l => l[0],
            bool[] b => b[0] ? 1 : 0,
            _ => throw new InvalidOperationException("unknown storage"),
        };
    }

    /// <summary>The elements in row-major order, converted to T (float, double, long or bool).</summary>
    public T[] ToArray<T>()
    {
        var target = DTypes.FromClr(typeof(T));
        var source = target == DType ? this : this.To(target);
        return (T[])source.Kernels.ToHost(source);
    }

    /// <summary>
    /// Moves this tensor's elements (and its gradient) to <paramref name="device"/> in place, keeping the object, as
    /// PyTorch's <c>module.to(device)</c> does with <c>param.data = param.data.to(device)</c>: layers hold their
    /// parameters by reference. Only for whole contiguous tensors (parameters and buffers).
    /// </summary>
    internal void MoveTo(Device device)
    {
        if (device == Device)
        {
            return;
        }

        if (!IsContiguous || Offset != 0 || ViewBase != null)
        {
            throw new InvalidOperationException($"only whole contiguous tensors move in place; this one has shape {Shapes.Format(_shape)}, strides {Shapes.Format(_strides)}, offset {Offset}");
        }

        Storage = KernelRegistry.For(device).FromHost(Kernels.ToHost(this));
        _grad?.MoveTo(device);
    }

    /// <summary>PyTorch's printed form: "tensor([0.2000, 1.0000])", "tensor(14., grad_fn=&lt;MulBackward0&gt;)".</summary>
    public override string ToString() => TensorFormatter.Format(this);
}
