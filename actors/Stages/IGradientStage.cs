namespace DistGrad.Actors.Stages;

/// <summary>
/// One step of what happens to gradients after the last backward of an optimizer step. A worker runs
/// its stages in list order, so the list decides, for example, whether a hook sees a replica's own
/// gradients (placed before the all-reduce) or the averaged ones (placed after).
/// </summary>
/// <remarks>
/// Stages run on the worker's compute thread, one after the other; a stage that talks to other workers
/// (all-reduce, global norm) blocks until its collective finishes or fails. Every worker of a group must
/// run the same collective stages in the same order.
/// </remarks>
public interface IGradientStage
{
    /// <summary>A short name for logs and telemetry spans, such as "AllReduce(data-parallel)".</summary>
    string Name { get; }

    void Run(GradientStageContext context);
}
