namespace DistGrad.Distributed.Gradients;

/// <summary>
/// One step of what happens to gradients after the last backward of an optimizer step. A worker runs
/// its processors in list order, so the list decides, for example, whether a hook sees a replica's own
/// gradients (placed before the all-reduce) or the averaged ones (placed after).
/// </summary>
/// <remarks>
/// Processors run on the worker's compute thread, one after the other; a processor that talks to other workers
/// (all-reduce, global norm) blocks until its collective finishes or fails. Every worker of a group must
/// run the same collective processors in the same order.
/// </remarks>
public interface IGradientProcessor
{
    /// <summary>A short name for logs and telemetry spans, such as "AllReduce(data-parallel)".</summary>
    string Name { get; }

    void Run(GradientContext context);
}
