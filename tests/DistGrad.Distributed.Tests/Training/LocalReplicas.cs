using DistGrad.Distributed.DataPlane;
using DistGrad.Distributed.Gradients;
using DistGrad.Distributed.Training;
using DistGrad.Distributed.Workers;
using DistGrad.Data;

namespace DistGrad.Distributed.Tests.Training;

/// <summary>Runs every worker of a job (D replicas × S stages) in this process, one thread each, over an in-memory transport.</summary>
internal static class LocalReplicas
{
    private static readonly Lazy<TensorDataset> MiniTrain = new(() => DatasetCatalog.Load(new JobSpec(), train: true));

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Dataset> JobData = new();

    /// <summary>The bundled training images as [N, 1, 28, 28] (what the single-process reference reads).</summary>
    public static TensorDataset Train => MiniTrain.Value;

    /// <summary>Trains <paramref name="steps"/> steps on every rank; returns each rank's trainer and per-step results.</summary>
    public static (ReplicaTrainer[] Trainers, StepResult[][] Results) Run(
        JobSpec spec, int steps, Func<int, IReadOnlyList<IGradientProcessor>>? stages = null, TimeSpan? timeout = null) =>
        Run(TestJobs.Get(spec.Job), spec, steps, stages, timeout);

    /// <summary>Trains <paramref name="job"/> (its own gradient pipeline unless <paramref name="stages"/> gives one per rank).</summary>
    public static (ReplicaTrainer[] Trainers, StepResult[][] Results) Run(
        TrainingJob job, JobSpec spec, int steps, Func<int, IReadOnlyList<IGradientProcessor>>? stages = null, TimeSpan? timeout = null)
    {
        var world = spec.WorldSize;
        var transports = InMemoryTransport.CreateGroup(world, timeout ?? TimeSpan.FromSeconds(20));
        var trainers = new ReplicaTrainer[world];
        var results = new StepResult[world][];
        var threads = Enumerable.Range(0, world).Select(rank => Task.Factory.StartNew(
            () =>
            {
                var data = JobData.GetOrAdd(job.Name, _ => job.TrainingData(new JobContext(spec)));
                var trainer = WorkerSession.CreateTrainer(job, spec, rank, transports[rank], data, stages?.Invoke(rank));
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

    /// <summary>The whole model of replica <paramref name="replica"/>: the parameters of all its stages together.</summary>
    public static IReadOnlyDictionary<string, Tensor> ReplicaParameters(ReplicaTrainer[] trainers, JobSpec spec, int replica = 0) =>
        trainers.Skip(replica * spec.PipelineStages).Take(spec.PipelineStages)
            .SelectMany(t => t.Parameters()).ToDictionary(p => p.Key, p => p.Value);
}
