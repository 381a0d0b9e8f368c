namespace DistGrad.Distributed.Gradients;

/// <summary>
/// Parameters grouped into flat float32 buffers of at most a given size, as PyTorch DDP's buckets:
/// one collective per bucket instead of one per tensor. Parameters are bucketed in reverse model order,
/// the order backward finishes their gradients in.
/// </summary>
public sealed class GradientBuckets
{
    private readonly List<Bucket> _buckets = [];

    public GradientBuckets(IReadOnlyList<Tensor> parameters, int bucketBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bucketBytes);
        var capacity = Math.Max(1, bucketBytes / sizeof(float));
        var members = new List<Tensor>();
        var length = 0;
        for (var i = parameters.Count - 1; i >= 0; i--)
        {
            var p = parameters[i];
            if (p.DType != DType.Float32)
            {
                throw new NotSupportedException($"gradient buckets hold float32 parameters; parameter {i} is {p.DType}");
            }

            if (length > 0 && length + p.Numel > capacity)
            {
                _buckets.Add(new Bucket(members.ToArray(), length));
                members.Clear();
                length = 0;
            }

            members.Add(p);
            length += p.Numel;
        }

        if (length > 0)
        {
            _buckets.Add(new Bucket(members.ToArray(), length));
        }
    }

    public IReadOnlyList<Bucket> Buckets => _buckets;

    /// <summary>A flat buffer and the parameters whose gradients it carries, back to back.</summary>
    public sealed class Bucket(Tensor[] parameters, int length)
    {
        public Tensor[] Parameters { get; } = parameters;

        public float[] Buffer { get; } = new float[length];

        /// <summary>Copies the parameters' gradients into <see cref="Buffer"/>.</summary>
        public void Gather()
        {
            var offset = 0;
            foreach (var p in Parameters)
            {
                var grad = GradientOf(p);
                if (grad.Device == Device.Cpu)
                {
                    TensorMemory.Span<float>(grad).CopyTo(Buffer.AsSpan(offset, p.Numel));
                }
                else
                {
                    // A device gradient crosses to the host once per step; the wire reads host memory.
                    grad.ToArray<float>().CopyTo(Buffer.AsSpan(offset, p.Numel));
                }

                offset += p.Numel;
            }
        }

        /// <summary>Copies <see cref="Buffer"/> back into the gradients, divided by <paramref name="divisor"/>.</summary>
        public void Scatter(float divisor)
        {
            var offset = 0;
            foreach (var p in Parameters)
            {
                var source = Buffer.AsSpan(offset, p.Numel);
                var grad = GradientOf(p);
                if (grad.Device != Device.Cpu)
                {
                    var averaged = source.ToArray();
                    System.Numerics.Tensors.TensorPrimitives.Divide(averaged, divisor, averaged);
                    using (Autograd.NoGrad())
                    {
                        grad.CopyFrom(Tensor.From(averaged, grad.Shape).To(grad.Device));
                    }

                    offset += p.Numel;
                    continue;
                }

                var target = TensorMemory.Span<float>(grad);
                if (divisor == 1f)
                {
                    source.CopyTo(target);
                }
                else
                {
                    System.Numerics.Tensors.TensorPrimitives.Divide(source, divisor, target);
                }

                offset += p.Numel;
            }
        }

        /// <summary>The gradient as a contiguous tensor, replacing a strided one (a hook may have set it).</summary>
        private static Tensor GradientOf(Tensor p)
        {
            var grad = p.Grad ?? throw new InvalidOperationException(
                $"a parameter of shape {$"[{string.Join(", ", p.Shape)}]"} has no gradient at the all-reduce: put the Accumulate stage before AllReduce");
            if (!grad.IsContiguous)
            {
                grad = grad.Contiguous();
                p.Grad = grad;
            }

            return grad;
        }
    }
}
