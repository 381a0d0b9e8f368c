namespace DistGrad.Distributed.Coordination;

/// <summary>Passes each event to several observers in order.</summary>
public sealed class ObserverGroup(params IJobObserver[] observers) : IJobObserver
{
    public void OnPhase(string phase)
    {
        foreach (var o in observers)
        {
            o.OnPhase(phase);
        }
    }

    public void OnStart(int totalSteps, int stepsPerEpoch)
    {
        foreach (var o in observers)
        {
            o.OnStart(totalSteps, stepsPerEpoch);
        }
    }

    public void OnStep(StepRecord record)
    {
        foreach (var o in observers)
        {
            o.OnStep(record);
        }
    }

    public void OnEvent(JobEvent jobEvent)
    {
        foreach (var o in observers)
        {
            o.OnEvent(jobEvent);
        }
    }
}
