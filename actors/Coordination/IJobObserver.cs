namespace DistGrad.Distributed.Coordination;

/// <summary>Receives what the coordinator learns while a job runs: the progress display, the run directory and the job's callbacks.</summary>
public interface IJobObserver
{
    /// <summary>The job moved to a new phase ("waiting for workers", "training", …).</summary>
    void OnPhase(string phase);

    /// <summary>The job will run <paramref name="totalSteps"/> steps, <paramref name="stepsPerEpoch"/> to an epoch.</summary>
    void OnStart(int totalSteps, int stepsPerEpoch);

    void OnStep(StepRecord record);

    /// <summary>A checkpoint, a recovery or a resume.</summary>
    void OnEvent(JobEvent jobEvent)
    {
    }
}
