using DistGrad.Kernels;

namespace DistGrad;

/// <summary>Copies and dtype/device conversions.</summary>
public sealed partial class Tensor
{
    /// <summary>This tensor converted to <paramref name="dtype"/> (itself when it already is); differentiable.</summary>
    public Tensor To(DType dtype)
    {
        if (dtype == DType)
        {
            return this;
        }

        return Graph.Record("ToCopyBackward0", CastRaw(dtype), [this], null, static (n, g) => [g]);
    }

    /// <summary>This tensor on <paramref name="device"/> (itself when it already is there).</summary>
    public Tensor To(Device device)
    {
        if (device == Device)
        {
            return this;
        }

        var moved = new Tensor(KernelRegistry.For(device).FromHost(Kernels.ToHost(this)), Shape);
        return Graph.Record("ToCopyBackward0", moved, [this], null, static (n, g) => [g.To(n.InputMetas[0].Device)]);
    }

    public Tensor Float() => To(DType.Float32);

    public Tensor Double() => To(DType.Float64);

    public Tensor Long() => To(DType.Int64);

    public Tensor Bool() => To(DType.Bool);

    /// <summary>A contiguous copy with its own storage; differentiable.</summary>
    public Tensor Clone()
    {
        var copy = Empty(_shape, DType, Device);
        Kernels.Copy(this, copy);
        return Graph.Record("CloneBackward0", copy, [this], null, static (n, g) => [g]);
    }

    /// <summary>This tensor when contiguous, otherwise a contiguous copy.</summary>
    public Tensor Contiguous() => IsContiguous ? this : Clone();

    /// <summary>A copy in <paramref name="dtype"/> without autograd (this tensor itself when the dtype matches).</summary>
    internal Tensor CastRaw(DType dtype)
    {
        if (dtype == DType)
        {
            return this;
        }

        if (WrappedValue is { } number && number.ToFloating(DType, dtype) is { } host)
        {
            // x * 1.5 casts the wrapped 1.5 to x's dtype on every call: from the C# value, not through a kernel.
            return new Tensor(Kernels.FromHost(host), _shape);
        }

        var copy = Empty(_shape, dtype, Device);
        Kernels.Copy(this, copy);
        return copy;
    }

    /// <summary>A broadcast view to <paramref name="shape"/> without autograd (stride 0 along repeated dims).</summary>
    internal Tensor BroadcastRaw(int[] shape)
    {
        if (Shapes.SameShape(_shape, shape))
        {
            return this;
        }

        var lead = shape.Length - Dim;
        var strides = new int[shape.Length];
        for (var i = lead; i < shape.Length; i++)
        {
            strides[i] = _shape[i - lead] == shape[i] ? _strides[i - lead] : 0;
        }

        return Strided(shape, strides, Offset);
    }
}
