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

    /// <summary>bias [N] added to every row of a [M, K] × b [K, N], in one pass (torch.addmm with a row bias).</summary>
    Tensor AddMatMul(Tensor bias, Tensor a, Tensor b);

    /// <summary>Softmax or log-softmax along one dim.</summary>
    Tensor Softmax(Tensor x, int dim, bool log);

    /// <summary>
    /// The gradient of <see cref="Softmax"/> from its output y, in one pass per row: grad − exp(y)·Σ grad for
    /// log-softmax, y·(grad − Σ grad·y) for softmax (sums along dim).
    /// </summary>
    Tensor SoftmaxBackward(Tensor grad, Tensor output, int dim, bool log);

    /// <summary>
    /// Per-row negative log-likelihood of [M, C] log-probabilities at Int64 targets [M]: −logProbs[i, target[i]],
    /// and 0 where target[i] is <paramref name="ignoreIndex"/> (targets are already checked to be in range).
    /// </summary>
    Tensor NllLoss(Tensor logProbs, Tensor target, long ignoreIndex);

    /// <summary>
    /// The gradient of <see cref="NllLoss"/> for its log-probabilities: [M, <paramref name="classes"/>] zeros with
    /// −rowGrad[i] at (i, target[i]) for every row whose target is not <paramref name="ignoreIndex"/>.
    /// </summary>
    Tensor NllLossBackward(Tensor rowGrad, Tensor target, int classes, long ignoreIndex);

    /// <summary>Where mask is true, dst gets value (mask has dst's shape, dtype Bool).</summary>
    void MaskedFill(Tensor destination, Tensor mask, double value);

    /// <summary>The elements of source where mask is true, as a 1-D tensor.</summary>
    Tensor MaskedSelect(Tensor source, Tensor mask);

    /// <summary>Writes the 1-D values, in order, into destination where mask is true.</summary>
    void MaskedScatter(Tensor destination, Tensor mask, Tensor values);

    // ---------------------------------------------------------------- convolution and pooling

    /// <summary>2-D cross-correlation: input [N, C, H, W] with weight [O, C, kH, kW] (plus bias [O]) → [N, O, OH, OW].</summary>
    Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias, Window2d window);

    /// <summary>The gradient of <see cref="Conv2d"/> for its input: grad [N, O, OH, OW] with weight → inputShape [N, C, H, W].</summary>
    Tensor Conv2dInputGrad(Tensor grad, Tensor weight, int[] inputShape, Window2d window);

    /// <summary>The gradient of <see cref="Conv2d"/> for its weight: input with grad [N, O, OH, OW] → weightShape [O, C, kH, kW].</summary>
    Tensor Conv2dWeightGrad(Tensor input, Tensor grad, int[] weightShape, Window2d window);

    /// <summary>
    /// Max over each window of input [N, C, H, W] (padding counts as -inf) → values [N, C, outH, outW] and Int64
    /// indices, each the flat position h·W + w of its max within its plane (the first among ties; NaN wins).
    /// </summary>
    (Tensor Values, Tensor Indices) MaxPool2d(Tensor input, Window2d window, int outH, int outW);

    // ---------------------------------------------------------------- indexing with Int64 index tensors

    /// <summary>The slices of source at the (checked) positions of the 1-D index along dim, in index order.</summary>
    Tensor IndexSelect(Tensor source, int dim, Tensor index);

    /// <summary>Adds slice i of source into slice index[i] of the contiguous destination along dim (repeats accumulate).</summary>
    void IndexAdd(Tensor destination, int dim, Tensor index, Tensor source);

    /// <summary>out[i] = source[i with coordinate dim replaced by index[i]]; out has index's shape.</summary>
    Tensor Gather(Tensor source, int dim, Tensor index);

    /// <summary>destination[i with coordinate dim replaced by index[i]] += source[i] for every i of index (destination contiguous).</summary>
    void ScatterAdd(Tensor destination, int dim, Tensor index, Tensor source);

    // ---------------------------------------------------------------- special functions

    /// <summary>The error function, elementwise (floating tensors).</summary>
    Tensor Erf(Tensor x);

    /// <summary>x·Φ(x) = 0.5·x·(1 + erf(x/√2)), elementwise.</summary>
    Tensor Gelu(Tensor x);

    /// <summary>grad · d gelu(x)/dx = grad · (Φ(x) + x·φ(x)); grad and x have one shape and dtype.</summary>
    Tensor GeluBackward(Tensor grad, Tensor x);
}
