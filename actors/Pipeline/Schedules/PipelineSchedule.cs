namespace DistGrad.Distributed.Pipeline;

/// <summary>
/// The actions every pipeline stage runs in one step, in order: <c>Actions[stage]</c> is that stage's list.
/// A schedule is plain data so that hand-written or corrupted ones can be checked by <see cref="ScheduleValidator"/>.
/// </summary>
public sealed record PipelineSchedule(string Name, int Stages, int MicroBatches, IReadOnlyList<IReadOnlyList<PipelineAction>> Actions)
{
    /// <summary>The ordered actions of one stage.</summary>
    public IReadOnlyList<PipelineAction> ForStage(int stage)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(stage);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(stage, Actions.Count);
        return Actions[stage];
    }
}
