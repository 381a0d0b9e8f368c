using System.Numerics.Tensors;

namespace DistGrad.Optim;

/// <summary>
/// SGD's update for contiguous float32 CPU tensors in one pass over spans, with the same operations in the
/// same order as the tensor path (so the same roundings) but no temporaries: the tensor path allocates
/// three parameter-sized tensors per parameter per step and reads each twice.
/// </summary>
internal static class SgdFused
{
    /// <summary>Whether the fused update applies to these tensors.</summary>
    public static bool Applies(Tensor param, Tensor grad, Tensor? buffer) =>
        Fits(param) && Fits(grad) && (buffer == null || Fits(buffer));

    /// <summary>
    /// d = grad (+ weightDecay·param); buf = buf·momentum + d·(1 − dampening) (a copy of d at the first step);
    /// d = buf (or d + buf·momentum with Nesterov); param += d·(−lr). Returns the new momentum buffer, if any.
    /// </summary>
    public static Tensor? Step(Tensor param, Tensor grad, Tensor? buffer, double lr, double momentum, double dampening, double weightDecay, bool nesterov)
    {
        var p = TensorMemory.Span<float>(param);
        ReadOnlySpan<float> d = TensorMemory.Span<float>(grad);
        float[]? scratch = null;
        if (weightDecay != 0)
        {
            scratch = new float[p.Length];
            TensorPrimitives.MultiplyAdd(p, (float)weightDecay, d, scratch);
            d = scratch;
        }

        if (momentum != 0)
        {
            if (buffer == null)
            {
                buffer = Tensor.Empty(param.Shape);
                d.CopyTo(TensorMemory.Span<float>(buffer));
            }
            else
            {
                var buf = TensorMemory.Span<float>(buffer);
                TensorPrimitives.Multiply(buf, (float)momentum, buf);
                if (dampening == 0)
                {
                    TensorPrimitives.Add(buf, d, buf);
                }
                else
                {
                    TensorPrimitives.MultiplyAdd(d, (float)(1 - dampening), buf, buf);
                }

                buffer.Storage.Version++;
            }

            if (nesterov)
            {
                scratch ??= new float[p.Length];
                TensorPrimitives.MultiplyAdd(TensorMemory.Span<float>(buffer), (float)momentum, d, scratch);
                d = scratch;
            }
            else
            {
                d = TensorMemory.Span<float>(buffer);
            }
        }

        TensorPrimitives.MultiplyAdd(d, (float)-lr, p, p);
        param.Storage.Version++;
        return buffer;
    }

    private static bool Fits(Tensor t) => t.Device == Device.Cpu && t.DType == DType.Float32 && t.IsContiguous;
}
