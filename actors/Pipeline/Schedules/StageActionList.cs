namespace DistGrad.Distributed.Pipeline;

/// <summary>
/// Builds one stage's action list, adding the receive a forward or backward needs right before it and the
/// send it produces right after it, so that each schedule only decides the order of forwards and backwards.
/// </summary>
internal sealed class StageActionList(int stage, int stages)
{
    private readonly List<PipelineAction> _actions = [];

    private bool IsFirst => stage == 0;

    private bool IsLast => stage == stages - 1;

    public void AddForward(int microBatch)
    {
        if (!IsFirst)
        {
            _actions.Add(new(PipelineActionKind.RecvActivation, microBatch));
        }

        _actions.Add(new(PipelineActionKind.Forward, microBatch));
        if (!IsLast)
        {
            _actions.Add(new(PipelineActionKind.SendActivation, microBatch));
        }
    }

    public void AddBackward(int microBatch)
    {
        if (!IsLast)
        {
            _actions.Add(new(PipelineActionKind.RecvGradient, microBatch));
        }

        _actions.Add(new(PipelineActionKind.Backward, microBatch));
        if (!IsFirst)
        {
            _actions.Add(new(PipelineActionKind.SendGradient, microBatch));
        }
    }

    /// <summary>Ends the list with the gradient processors and returns it.</summary>
    public IReadOnlyList<PipelineAction> Finish()
    {
        _actions.Add(PipelineAction.GradientPipeline);
        return _actions.AsReadOnly();
    }
}
