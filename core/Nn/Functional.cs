namespace DistGrad.Nn;

/// <summary>The functional forms of layers and losses (torch.nn.functional).</summary>
public static class Functional
{
    /// <summary>x Wᵀ + b over the last dim of x.</summary>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null)
    {
        if (input.Size(-1) != weight.Size(1))
        {
            throw new ArgumentException(
                $"mat1 and mat2 shapes cannot be multiplied ({string.Join("x", input.Shape.Length == 1 ? [1, input.Size(0)] : [input.Numel / input.Size(-1), input.Size(-1)])} and {weight.Size(1)}x{weight.Size(0)})");
        }

        if (bias != null && input.Dim == 2 && bias.Dim == 1 && bias.Size(0) == weight.Size(0) && input.DType == weight.DType && bias.DType == input.DType)
        {
            return input.AddMm(bias, weight.MatrixT());
        }

        var output = input.MatMul(weight.T);
        return bias == null ? output : output + bias;
    }

    public static Tensor Relu(Tensor input) => input.Relu();

    public static Tensor Gelu(Tensor input) => input.Gelu();

    public static Tensor Softmax(Tensor input, int dim) => input.Softmax(dim);

    public static Tensor LogSoftmax(Tensor input, int dim) => input.LogSoftmax(dim);

    /// <summary>Zeroes elements with probability p and scales the rest by 1/(1−p) when training.</summary>
    public static Tensor Dropout(Tensor input, double p = 0.5, bool training = true, Generator? generator = null)
    {
        if (p < 0 || p > 1 || double.IsNaN(p))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, $"dropout probability has to be between 0 and 1, but got {p}");
        }

        if (!training || p == 0)
        {
            return input;
        }

        if (p == 1)
        {
            return input * 0;
        }

        var keep = Tensor.Rand(input.Shape, input.DType.IsFloating() ? input.DType : DType.Float32, generator: generator) < (1 - p);
        return input * keep / (1 - p);
    }

    /// <summary>Normalises over the trailing <paramref name="normalizedShape"/> dims, then scales and shifts.</summary>
    public static Tensor LayerNorm(Tensor input, int[] normalizedShape, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
    {
        var k = normalizedShape.Length;
        if (input.Dim < k || !input.Shape[^k..].SequenceEqual(normalizedShape))
        {
            throw new ArgumentException(
                $"Given normalized_shape=[{string.Join(", ", normalizedShape)}], expected input with shape [*, {string.Join(", ", normalizedShape)}], but got input of size [{string.Join(", ", input.Shape)}]");
        }

        var dims = Enumerable.Range(input.Dim - k, k).ToArray();
        var mean = input.Mean(dims, keepDim: true);
        var centered = input - mean;
        var variance = centered.Pow(2).Mean(dims, keepDim: true);
        var normalized = centered / (variance + eps).Sqrt();
        if (weight != null)
        {
            normalized = normalized * weight;
        }

        return bias != null ? normalized + bias : normalized;
    }

    /// <summary>
    /// Log-softmax over the class dim (1) and the negative log-likelihood of the targets: Int64 class indices
    /// ([N] for [N, C] logits, [N, d…] for [N, C, d…]), or class probabilities of the logits' shape.
    /// </summary>
    public static Tensor CrossEntropy(Tensor logits, Tensor target, string reduction = "mean", long ignoreIndex = -100)
    {
        Reductions.Check(reduction);
        var classDim = logits.Dim == 1 ? 0 : 1;
        var logProbs = logits.LogSoftmax(classDim);
        if (target.DType.IsFloating())
        {
            if (!target.Shape.SequenceEqual(logits.Shape))
            {
                throw new ArgumentException($"cross entropy with class probabilities needs a target of the input's shape [{string.Join(", ", logits.Shape)}], got [{string.Join(", ", target.Shape)}]");
            }

            return Reductions.Apply(-(logProbs * target).Sum(classDim), reduction);
        }

        return NllLoss(logProbs, target, reduction, ignoreIndex);
    }

    /// <summary>−logProbs[i, target[i]], reduced; targets equal to <paramref name="ignoreIndex"/> count for nothing.</summary>
    public static Tensor NllLoss(Tensor logProbs, Tensor target, string reduction = "mean", long ignoreIndex = -100)
    {
        Reductions.Check(reduction);
        if (target.DType != DType.Int64)
        {
            throw new ArgumentException($"expected scalar type Long but found {target.DType.TorchName()}: class targets must be Int64 indices");
        }

        if (logProbs.Dim == 1)
        {
            var single = NllLoss(logProbs.Unsqueeze(0), target.Unsqueeze(0), reduction, ignoreIndex);
            return reduction == "none" ? single.Reshape([]) : single;
        }

        if (logProbs.Dim < 2 || target.Dim != logProbs.Dim - 1 || target.Size(0) != logProbs.Size(0))
        {
            throw new ArgumentException(
                $"Expected input batch_size ({logProbs.Size(0)}) to match target batch_size ({(target.Dim > 0 ? target.Size(0) : 0)}) (input [{string.Join(", ", logProbs.Shape)}], target [{string.Join(", ", target.Shape)}])");
        }

        var classes = logProbs.Size(1);
        var counted = CheckTargets(target, classes, ignoreIndex);
        if (logProbs.Dim == 2)
        {
            return NllLossRows(logProbs, target, reduction, ignoreIndex, counted);
        }

        // Classes last and flattened: [M, C] against [M] targets; gather each target's log-probability.
        // Ignored targets gather class 0 and are then zeroed, so they add nothing to the loss or the gradient.
        var perm = new[] { 0 }.Concat(Enumerable.Range(2, logProbs.Dim - 2)).Append(1).ToArray();
        var flat = logProbs.Permute(perm).Reshape(-1, classes);
        var flatTarget = target.Reshape(-1);
        var counts = flatTarget.Ne(ignoreIndex);
        var picked = flat.Gather(1, (flatTarget * counts).Unsqueeze(1)).Squeeze(1);
        var losses = -(picked * counts);
        switch (reduction)
        {
            case "none":
                return losses.Reshape(target.Shape);
            case "sum":
                return losses.Sum();
            default:
                return losses.Sum() / counted;
        }
    }

    /// <summary>(input − target)², reduced.</summary>
    public static Tensor MSELoss(Tensor input, Tensor target, string reduction = "mean")
    {
        Reductions.Check(reduction);
        if (!input.Shape.SequenceEqual(target.Shape))
        {
            throw new ArgumentException($"MSELoss needs input and target of one shape, got [{string.Join(", ", input.Shape)}] and [{string.Join(", ", target.Shape)}]");
        }

        return Reductions.Apply((input - target).Pow(2), reduction);
    }

    /// <summary>
    /// NLL of [N, C] log-probabilities as one NllLossBackward0 node, as PyTorch records it: the forward picks
    /// each row's target in one kernel pass and the backward scatters the row gradients back in another,
    /// where the general path below takes a gather, masks and sums, each with its own node and buffer.
    /// </summary>
    private static Tensor NllLossRows(Tensor logProbs, Tensor target, string reduction, long ignoreIndex, long counted)
    {
        var (rows, classes) = (logProbs.Size(0), logProbs.Size(1));
        Tensor output;
        using (Autograd.NoGrad())
        {
            var losses = logProbs.Kernels.NllLoss(logProbs, target, ignoreIndex);
            output = reduction switch
            {
                "none" => losses,
                "sum" => losses.Sum(),
                _ => losses.Sum() / counted,
            };
        }

        return Graph.Record("NllLossBackward0", output, [logProbs], [target], (n, g) =>
        {
            var t = n.Saved(0);
            var rowGrad = reduction switch
            {
                "none" => g,
                "sum" => g.Expand(rows),
                _ => (g / counted).Expand(rows),
            };

            if (!Graph.ShouldRecord([rowGrad]))
            {
                return [g.Kernels.NllLossBackward(rowGrad, t, classes, ignoreIndex)];
            }

            // A recorded backward (createGraph) is built from ops so it can be differentiated again.
            var kept = t.Ne(ignoreIndex);
            var picked = (-(rowGrad * kept)).Unsqueeze(1);
            return [Tensor.Zeros([rows, classes], g.DType, device: g.Device).ScatterAdd(1, (t * kept).Unsqueeze(1), picked)];
        });
    }

    /// <summary>Checks every target is a class or the ignore index; returns how many are not ignored.</summary>
    private static long CheckTargets(Tensor target, int classes, long ignoreIndex)
    {
        var counted = 0L;
        foreach (var t in target.ToArray<long>())
        {
            if ((t < 0 || t >= classes) && t != ignoreIndex)
            {
                throw new ArgumentException($"Target {t} is out of bounds (there are {classes} classes).");
            }

            counted += t == ignoreIndex ? 0 : 1;
        }

        return counted;
    }
}
