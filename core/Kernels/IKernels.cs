namespace DistGrad.Kernels;

/// <summary>
/// The one seam between ops and a device. Ops decide shapes, dtypes and autograd; a backend only moves
/// and computes bytes. Inputs may be strided views (broadcast dims have stride 0); outputs the backend
/// allocates are contiguous. A new device (ILGPU) implements this interface and no op changes.
/// </summary>
public interface IKernels
{
    Device Device { get; }

    Storage Allocate(DType dtype, int length);

    /// <summary>A storage holding a copy of a host array (float[], double[], long[] or bool[]).</summary>
    Storage FromHost(Array data);

    /// <summary>The elements of a strided view, in row-major order, as a host array of its dtype.</summary>
    Array ToHost(Tensor source);

    /// <summary>Writes <paramref name="value"/> into every element of a (possibly strided) view.</summary>
    void Fill(Tensor destination, double value);

    /// <summary>Copies src into dst element by element, converting dtype; both have the same shape.</summary>
    void Copy(Tensor source, Tensor destination);

    /// <summary>Elementwise op; result has x's dtype (Bool for IsNan).</summary>
    Tensor Unary(UnaryOp op, Tensor x, double a = 0, double b = 0);

    /// <summary>Elementwise op of two tensors of equal shape and dtype.</summary>
    Tensor Binary(BinaryOp op, Tensor a, Tensor b);

    /// <summary>Reduces the listed dims; the result keeps them with size 1.</summary>
    Tensor Reduce(ReduceOp op, Tensor x, int[] dims);

    /// <summary>Batched matrix product: [B, M, K] × [B, K, N] → [B, M, N]; 2-D inputs need no batch dim.</summary>
    Tensor MatMul(Tensor a, Tensor b);

    /// <summary>Softmax or log-softmax along one dim.</summary>
    Tensor Softmax(Tensor x, int dim, bool log);

    /// <summary>Where mask is true, dst gets value (mask has dst's shape, dtype Bool).</summary>
    void MaskedFill(Tensor destination, Tensor mask, double value);

    /// <summary>The elements of source where mask is true, as a 1-D tensor.</summary>
    Tensor MaskedSelect(Tensor source, Tensor mask);

    /// <summary>Writes the 1-D values, in order, into destination where mask is true.</summary>
    void MaskedScatter(Tensor destination, Tensor mask, Tensor values);
}
