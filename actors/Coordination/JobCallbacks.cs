namespace DistGrad.Distributed.Coordination;

/// <summary>
/// Turns what the coordinator observes into the job's own callbacks (<see cref="TrainingJob.OnStepEnd"/>,
/// <see cref="TrainingJob.OnEpochEnd"/>, <see cref="TrainingJob.OnCheckpointWritten"/>). They run on the
/// coordinator's actor thread, between steps: a slow callback slows training, so keep them short.
/// </summary>
public sealed class JobCallbacks(TrainingJob job) : IJobObserver
{
    private int _stepsPerEpoch;
    private double _epochLossSum;
    private int _epochSteps;

    public void OnPhase(string phase)
    {
    }

    public void OnStart(int totalSteps, int stepsPerEpoch) => _stepsPerEpoch = stepsPerEpoch;

    public void OnStep(StepRecord record)
    {
        job.OnStepEnd?.Invoke(new StepEnd(record.Step, record.Loss, record.GradNorm, record.LearningRate, record.Samples, record.DurationMilliseconds));
        _epochLossSum += record.Loss;
        _epochSteps++;
        if (_stepsPerEpoch > 0 && record.Step % _stepsPerEpoch == 0)
        {
            job.OnEpochEnd?.Invoke(new EpochEnd((int)(record.Step / _stepsPerEpoch), record.Step, _epochLossSum / _epochSteps));
            _epochLossSum = 0;
            _epochSteps = 0;
        }
    }

    public void OnEvent(JobEvent jobEvent)
    {
        if (jobEvent is { Kind: "checkpoint", Directory: { } directory })
        {
            job.OnCheckpointWritten?.Invoke(new CheckpointWritten(jobEvent.Step, directory));
        }
    }
}
