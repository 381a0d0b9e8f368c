using DistGrad.Kernels.Cpu;

namespace DistGrad;

/// <summary>
/// The elements of a contiguous CPU tensor as a span, for code that moves tensor bytes in bulk (the
/// distributed data plane, serializers) without a copy through <see cref="Tensor.ToArray{T}"/>.
/// </summary>
/// <remarks>
/// Writing through the span bypasses autograd and the version counter: use it on gradients and on
/// parameters under <see cref="Autograd.NoGrad"/>, never on tensors a graph has saved.
/// </remarks>
public static class TensorMemory
{
    public static Span<T> Span<T>(Tensor tensor)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.Device != Device.Cpu)
        {
            throw new ArgumentException($"TensorMemory.Span needs a CPU tensor, but this one is on {tensor.Device}", nameof(tensor));
        }

        if (!tensor.IsContiguous)
        {
            throw new ArgumentException($"TensorMemory.Span needs a contiguous tensor (shape {Shapes.Format(tensor.Shape)}); call Contiguous() first", nameof(tensor));
        }

        if (DTypes.FromClr(typeof(T)) != tensor.DType)
        {
            throw new ArgumentException($"TensorMemory.Span<{typeof(T).Name}> does not match the tensor's dtype {tensor.DType}", nameof(tensor));
        }

        return CpuStorage.Of<T>(tensor).AsSpan(tensor.Offset, tensor.Numel);
    }
}
