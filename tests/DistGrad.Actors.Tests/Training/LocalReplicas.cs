using DistGrad.Actors.DataPlane;
using DistGrad.Actors.Jobs;
using DistGrad.Actors.Stages;
using DistGrad.Actors.Training;
using DistGrad.Actors.Workers;
using DistGrad.Data;

namespace DistGrad.Actors.Tests.Training;

/// <summary>Runs the replicas of a data-parallel job in this process, one thread each, over an in-memory transport.</summary>
internal static class LocalReplicas
{
    private static readonly Lazy<TensorDataset> MiniTrain = new(() => DatasetCatalog.Load(new JobSpec(), train: true));

    public static TensorDataset Train => MiniTrain.Value;

    /// <summary>Trains <paramref name="steps"/> steps on every rank; returns each rank's trainer and per-step results.</summary>
    public static (ReplicaTrainer[] Trainers, StepResult[][] Results) Run(
        JobSpec spec, int steps, Func<int, IReadOnlyList<IGradientStage>>? stages = null)
    {
        var transports = InMemoryTransport.CreateGroup(spec.DataParallel, TimeSpan.FromSeconds(20));
        var trainers = new ReplicaTrainer[spec.DataParallel];
        var results = new StepResult[spec.DataParallel][];
        var threads = Enumerable.Range(0, spec.DataParallel).Select(rank => Task.Factory.StartNew(
            () =>
            {
                var trainer = stages == null
                    ? WorkerSession.CreateTrainer(spec, rank, transports[rank], Train)
                    : WorkerSession.CreateTrainer(spec, rank, transports[rank], Train, stages(rank));
                trainers[rank] = trainer;
                results[rank] = Enumerable.Range(0, steps).Select(s => trainer.RunStep(s)).ToArray();
            },
            TaskCreationOptions.LongRunning)).ToArray();
        try
        {
            Task.WaitAll(threads);
        }
        finally
        {
            foreach (var t in transports)
            {
                t.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }

        return (trainers, results);
    }
}
