namespace DistGrad.Kernels.Ilgpu;

/// <summary>
/// The fused entry points of the kernel interface (addmm, softmax backward, NLL forward and backward),
/// composed on the device from this backend's own kernels: one launch each step, no host round trip.
/// The CPU backend fuses them into single passes; on a GPU the few extra launches are cheap next to the work.
/// </summary>
internal sealed partial class IlgpuKernels
{
    public Tensor AddMatMul(Tensor bias, Tensor a, Tensor b)
    {
        var product = MatMul(a, b);
        return Binary(BinaryOp.Add, product, bias.BroadcastRaw(product.Shape));
    }

    public Tensor SoftmaxBackward(Tensor grad, Tensor output, int dim, bool log)
    {
        if (log)
        {
            // grad − exp(y) · Σ grad
            var sum = Reduce(ReduceOp.Sum, grad, [dim]).BroadcastRaw(grad.Shape);
            return Binary(BinaryOp.Sub, grad, Binary(BinaryOp.Mul, Unary(UnaryOp.Exp, output), sum));
        }

        // y · (grad − Σ grad·y)
        var weighted = Reduce(ReduceOp.Sum, Binary(BinaryOp.Mul, grad, output), [dim]).BroadcastRaw(grad.Shape);
        return Binary(BinaryOp.Mul, output, Binary(BinaryOp.Sub, grad, weighted));
    }

    public Tensor NllLoss(Tensor logProbs, Tensor target, long ignoreIndex)
    {
        var rows = target.Numel;
        var (safe, ignored) = SafeTargets(target, ignoreIndex);
        var picked = Gather(logProbs, 1, new Tensor(safe.Storage, [rows, 1]));
        var loss = Unary(UnaryOp.Neg, new Tensor(picked.Storage, [rows]));
        MaskedFill(loss, ignored, 0);
        return loss;
    }

    public Tensor NllLossBackward(Tensor rowGrad, Tensor target, int classes, long ignoreIndex)
    {
        var rows = target.Numel;
        var (safe, ignored) = SafeTargets(target, ignoreIndex);
        var values = Unary(UnaryOp.Neg, rowGrad);
        MaskedFill(values, ignored, 0);
        var result = NewTensor(rowGrad.DType, [rows, classes]);
        Fill(result, 0);
        ScatterAdd(result, 1, new Tensor(safe.Storage, [rows, 1]), new Tensor(values.Storage, [rows, 1]));
        return result;
    }

    /// <summary>The targets with ignored ones replaced by class 0 (contiguous), and the Bool mask of the ignored rows.</summary>
    private (Tensor Safe, Tensor Ignored) SafeTargets(Tensor target, long ignoreIndex)
    {
        var ignore = NewTensor(DType.Int64, target.Shape);
        Fill(ignore, ignoreIndex);
        var ignored = Binary(BinaryOp.Eq, target, ignore);
        var safe = NewTensor(DType.Int64, target.Shape);
        Copy(target, safe);
        MaskedFill(safe, ignored, 0);
        return (safe, ignored);
    }
}
