using DistGrad.Data;
using DistGrad.Distributed.Pipeline;
using DistGrad.Nn;

namespace DistGrad.Distributed.Workers;

/// <summary>
/// The largest data-plane message a job can send: the data plane refuses any frame that announces more, before
/// renting a buffer for it.
/// </summary>
/// <remarks>
/// Collectives move parameters, buffers and their gradients, in pieces never larger than all of them together;
/// pipeline stages move one micro-batch's activation (and its gradient, of the same shape) across each cut, whose
/// size a dry forward of one micro-batch shows. Everything else (shapes, scalars, loss sums) is small.
/// </remarks>
public static class MessageCap
{
    /// <summary>Room for the small messages, and the floor of every cap.</summary>
    public const int SmallMessages = 1 << 20;

    public static int Of(TrainingJob job, JobSpec spec, Dataset train)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(train);
        var model = job.Model(new JobContext(spec));
        long largest = model.Parameters().Sum(p => Bytes(p)) + model.NamedBuffers().Sum(b => Bytes(b.Buffer));
        if (spec.PipelineStages > 1 && train.Count > 0)
        {
            largest = Math.Max(largest, LargestActivation(model, spec, train));
        }

        return (int)Math.Min(int.MaxValue, largest + SmallMessages);
    }

    private static long LargestActivation(Module model, JobSpec spec, Dataset train)
    {
        var rows = Math.Min(Math.Max(1, spec.MicroBatchSize), train.Count);
        var input = train.GetBatch(Enumerable.Range(0, rows).ToArray()).X;
        long largest = 0;
        using (Autograd.NoGrad())
        {
            foreach (var (_, layer) in ModelPartitioner.CuttableChildren(model, spec.Job))
            {
                input = layer.Forward(input);
                largest = Math.Max(largest, Bytes(input));
            }
        }

        // Micro-batches need not all have the measured size (a spec's rounding, a dataset's uneven last batch):
        // twice the measure keeps the cap a guard against garbage rather than a limit on the job.
        return largest * 2;
    }

    private static long Bytes(Tensor tensor) => tensor.Numel * (long)tensor.DType.ElementSize();
}
