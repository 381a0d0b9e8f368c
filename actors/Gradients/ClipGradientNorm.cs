using DistGrad.Distributed.Collectives;

namespace DistGrad.Distributed.Gradients;

/// <summary>
/// Clips all gradients of the model together so that their global p-norm is at most <see cref="MaxNorm"/>
/// (clip_grad_norm_ over the whole model, however it is sharded), and records the norm before clipping.
/// </summary>
/// <remarks>
/// Each worker reduces its own shard's gradients to one number (the sum of |g|^p, or the maximum of |g|
/// for the inf-norm) and the model group combines those numbers once: a parameter lives in exactly one
/// shard, so none is counted twice, and replicas of a shard never add up (after the all-reduce they hold
/// the same gradients and compute the same norm). The coefficient follows PyTorch: maxNorm / (norm + 1e-6),
/// capped at 1, in float32.
/// </remarks>
public sealed class ClipGradientNorm : IGradientProcessor
{
    public ClipGradientNorm(double maxNorm, double normType = 2.0)
    {
        if (double.IsNaN(maxNorm) || maxNorm <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "maxNorm must be a positive number (infinity measures the norm without clipping)");
        }

        if (double.IsNaN(normType) || normType <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(normType), normType, "normType must be a positive number or infinity");
        }

        MaxNorm = maxNorm;
        NormType = normType;
    }

    public double MaxNorm { get; }

    public double NormType { get; }

    public string Name => double.IsPositiveInfinity(MaxNorm) ? $"GradNorm({NormType})" : $"GlobalNormClip({MaxNorm}, {NormType})";

    public void Run(GradientContext context)
    {
        var grads = context.Parameters.Select(p => p.Parameter.Grad).OfType<Tensor>().ToArray();
        var total = GlobalNorm(grads, NormType, context.ModelGroup);
        context.GradNorm = total;
        if (double.IsPositiveInfinity(MaxNorm))
        {
            return;
        }

        var coefficient = Math.Min((float)MaxNorm / ((float)total + 1e-6f), 1f);
        if (coefficient < 1f)
        {
            using (Autograd.NoGrad())
            {
                foreach (var g in grads)
                {
                    g.MulInPlace(coefficient);
                }
            }
        }
    }

    /// <summary>The p-norm of all <paramref name="grads"/> of every member of <paramref name="group"/> together.</summary>
    internal static double GlobalNorm(IReadOnlyList<Tensor> grads, double normType, Collectives.ProcessGroup group)
    {
        using (Autograd.NoGrad())
        {
            if (double.IsPositiveInfinity(normType))
            {
                var localMax = grads.Count == 0 ? 0.0 : grads.Max(MaxMagnitude);
                return group.AllReduceScalar(localMax, ReduceOp.Max);
            }

            // Per-tensor norms in the gradient's dtype, as clip_grad_norm_; their p-th powers summed in double.
            var localSum = grads.Sum(g => Math.Pow(TensorNorm(g, normType), normType));
            return Math.Pow(group.AllReduceScalar(localSum, ReduceOp.Sum), 1.0 / normType);
        }
    }

    // Contiguous float32 CPU gradients (the usual case) are read in place: Tensor.Norm would allocate a
    // squared copy of every gradient each step.
    private static double TensorNorm(Tensor g, double normType) =>
        normType == 2 && IsFlatFloat32(g) ? System.Numerics.Tensors.TensorPrimitives.Norm((ReadOnlySpan<float>)TensorMemory.Span<float>(g)) : g.Norm(normType).Item();

    private static double MaxMagnitude(Tensor g)
    {
        if (!IsFlatFloat32(g) || g.Numel == 0)
        {
            return g.Abs().Max().Item();
        }

        var max = System.Numerics.Tensors.TensorPrimitives.MaxMagnitude((ReadOnlySpan<float>)TensorMemory.Span<float>(g));
        return float.IsNaN(max) ? double.NaN : Math.Abs(max);
    }

    private static bool IsFlatFloat32(Tensor g) => g.Device == Device.Cpu && g.DType == DType.Float32 && g.IsContiguous;
}

