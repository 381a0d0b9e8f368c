using DistGrad.Distributed.Collectives;
using System.Diagnostics;
using DistGrad.Distributed.Pipeline;
using DistGrad.Distributed.Gradients;
using DistGrad.Distributed.Telemetry;
using DistGrad.Data;
using DistGrad.Nn;
using DistGrad.Optim;

namespace DistGrad.Distributed.Training;

/// <summary>
/// One worker's training, independent of actors: builds its shard of the model (the whole model when the
/// job has one pipeline stage) from the job's seed, runs its action list of the pipeline schedule for every
/// optimizer step (forward and backward of each micro-batch, transfers to its neighbouring stages), then
/// the gradient processors. A worker actor drives it on its compute thread; tests drive several over an
/// in-memory transport.
/// </summary>
public sealed partial class ReplicaTrainer
{
    private readonly TrainingJob _job;
    private readonly JobSpec _spec;
    private readonly Dataset _train;
    private readonly GlobalBatchPlan _plan;
    private readonly TrainerShape _shape;
    private readonly ScheduleRunner _runner;
    private readonly StageLinks? _links;
    private long _nextStep;

    public ReplicaTrainer(
        TrainingJob job, JobSpec spec, int rank, Dataset train, ProcessGroup dataParallelGroup, ProcessGroup modelGroup,
        IReadOnlyList<IGradientProcessor>? gradientPipeline = null, Device? device = null, StageLinks? links = null, PipelineSchedule? schedule = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        JobSpecValidation.ThrowIfInvalid(job, spec);
        _job = job;
        _spec = spec;
        _train = train;
        Rank = rank;
        DataParallelGroup = dataParallelGroup;
        ModelGroup = modelGroup;
        var layout = JobLayout.Of(spec);
        Stage = layout.StageOf(rank);
        var replica = IndexIn(dataParallelGroup, rank);
        Device = device ?? Device.Cpu;
        Context = new JobContext(spec, rank, Device);
        GradientPipeline = gradientPipeline ?? Gradients.GradientPipeline.For(job, spec, Context);
        var rounds = GradientPipeline.OfType<AccumulateGradients>().SingleOrDefault()?.Steps ?? 1;
        Schedule = schedule ?? PipelineSchedules.For(spec.Schedule, spec.PipelineStages, spec.MicroBatches);
        ScheduleValidator.ThrowIfInvalid(Schedule);
        _plan = new GlobalBatchPlan(train.Count, spec.BatchSize, dataParallelGroup.Size, rounds * Schedule.MicroBatches, spec.Seed);

        // Parameters are drawn on the CPU from the seed (the same on every device and every stage), then the
        // stage keeps its shard and moves it to the worker's device.
        var full = BuildModel();
        Model = spec.PipelineStages == 1 ? full : ModelPartitioner.Shard(full, spec.Job, ModelPartitioner.Sizes(full, spec), Stage);
        if (Device != Device.Cpu)
        {
            Model.To(Device);
        }

        NamedParameters = Model.NamedParameters().ToArray();
        var parameters = NamedParameters.Select(p => p.Parameter);
        Optimizer = job.Optimizer?.Invoke(Context, parameters) ?? OptimizerFactory.Create(spec, parameters);
        Scheduler = job.Scheduler?.Invoke(Context, Optimizer);
        _shape = new TrainerShape(rank, replica, Stage, spec.PipelineStages, rounds, Device);
        _links = links;
        _runner = new ScheduleRunner(_shape, Model, train, job.Loss, _plan, links, Schedule);
    }

    /// <summary>What the job's factories were told about this worker.</summary>
    public JobContext Context { get; }

    /// <summary>The job's LR scheduler on this worker (null: constant LR).</summary>
    public LRScheduler? Scheduler { get; }

    public int Rank { get; }

    /// <summary>This worker's pipeline stage (0 when the job has one).</summary>
    public int Stage { get; }

    /// <summary>Where this replica's parameters live and its kernels run.</summary>
    public Device Device { get; }

    /// <summary>This worker's shard of the model (the whole model with one stage).</summary>
    public Module Model { get; }

    public Optimizer Optimizer { get; }

    public IReadOnlyList<(string Name, Tensor Parameter)> NamedParameters { get; }

    public IReadOnlyList<IGradientProcessor> GradientPipeline { get; }

    /// <summary>The pipeline schedule this worker runs its part of.</summary>
    public PipelineSchedule Schedule { get; }

    public ProcessGroup DataParallelGroup { get; }

    public ProcessGroup ModelGroup { get; }

    /// <summary>Samples in the training set.</summary>
    public int TrainSamples => _train.Count;

    /// <summary>Global batches per epoch.</summary>
    public int StepsPerEpoch => _plan.StepsPerEpoch;

    /// <summary>Copies replica 0's parameters to every replica of this stage, so replicas start equal whatever their seed did.</summary>
    public void BroadcastInitialParameters()
    {
        using (Autograd.NoGrad())
        {
            foreach (var (_, parameter) in NamedParameters)
            {
                var values = parameter.ToArray<float>();
                DataParallelGroup.Broadcast(values, DataParallelGroup.Ranks[0]);
                parameter.CopyFrom(Tensor.From(values, parameter.Shape).To(Device));
            }
        }
    }

    /// <summary>Runs optimizer step <paramref name="step"/>: this stage's schedule for every micro-batch, then the gradient processors.</summary>
    public StepResult RunStep(long step)
    {
        if (step != _nextStep)
        {
            throw new InvalidOperationException($"rank {Rank} expected step {_nextStep} but was asked to run step {step}");
        }

        using var stepActivity = DistGradTelemetry.Worker.StartActivity("step");
        stepActivity?.SetTag("distgrad.rank", Rank);
        stepActivity?.SetTag("distgrad.step", step);
        var clock = Stopwatch.StartNew();
        Model.Train();
        var learningRate = Optimizer.ParamGroups[0].Lr;
        var context = new GradientContext(step, NamedParameters, Optimizer, DataParallelGroup, ModelGroup, Rank, Scheduler);
        var outcome = _runner.Run(step, () =>
        {
            foreach (var processor in GradientPipeline)
            {
                using var processorActivity = DistGradTelemetry.Worker.StartActivity("gradients " + processor.Name);
                processor.Run(context);
            }
        });

        _nextStep = step + 1;
        DistGradTelemetry.AllReduceBytes.Add(context.BytesAllReduced);
        DistGradTelemetry.Samples.Add(outcome.Samples);
        var chunks = _shape.Rounds * Schedule.MicroBatches;
        return new StepResult(
            _shape.IsLastStage ? outcome.LossSum / chunks : double.NaN, outcome.Samples, context.GradNorm ?? double.NaN,
            context.BytesAllReduced, clock.Elapsed.TotalMilliseconds)
        {
            Stage = Stage,
            LearningRate = learningRate,
            PeakActivationBytes = outcome.PeakActivationBytes,
            Timeline = outcome.Timeline,
        };
    }

    /// <summary>
    /// The whole model's parameters by module path, detached on the CPU, on rank 0; null on other ranks.
    /// With pipeline stages every stage of replica 0 must call this: they send their shards to rank 0.
    /// </summary>
    public IReadOnlyDictionary<string, Tensor>? GatherParameters()
    {
        if (_spec.PipelineStages == 1)
        {
            return Rank == 0 ? Parameters() : null;
        }

        if (_shape.Replica != 0)
        {
            return null;
        }

        var links = _links!;
        if (Rank != 0)
        {
            for (var i = 0; i < NamedParameters.Count; i++)
            {
                links.SendValues(0, PipelineTags.Parameter(i), NamedParameters[i].Parameter, $"parameter {NamedParameters[i].Name}");
            }

            return null;
        }

        // Rank 0 cuts a fresh model the same way to learn each stage's parameter names and shapes.
        var full = BuildModel();
        var sizes = ModelPartitioner.Sizes(full, _spec);
        var gathered = new Dictionary<string, Tensor>(Parameters());
        for (var stage = 1; stage < _spec.PipelineStages; stage++)
        {
            var shard = ModelPartitioner.Shard(full, _spec.Job, sizes, stage).NamedParameters().ToArray();
            for (var i = 0; i < shard.Length; i++)
            {
                gathered[shard[i].Name] = links.ReceiveValues(stage, PipelineTags.Parameter(i), shard[i].Parameter.Shape, $"parameter {shard[i].Name}");
            }
        }

        return gathered;
    }

    /// <summary>
    /// The job's metric (accuracy unless the job defines its own) on <paramref name="test"/> of this worker's
    /// model (the whole model), or of <paramref name="parameters"/> loaded into a fresh one.
    /// </summary>
    public double Evaluate(Dataset test, IReadOnlyDictionary<string, Tensor>? parameters = null)
    {
        var model = Model;
        if (parameters != null || _spec.PipelineStages > 1)
        {
            model = BuildModel();
            model.LoadStateDict(parameters ?? throw new ArgumentException("a pipeline stage holds a part of the model: evaluate the gathered parameters"));
            model.To(Device);
        }

        model.Eval();
        using (Autograd.NoGrad())
        {
            return _job.Evaluate is { } evaluate ? evaluate(model, test, Context) : Accuracy(model, test);
        }
    }

    /// <summary>The test set of the job, when it has one.</summary>
    public Dataset? TestData() => _job.TestData?.Invoke(Context);

    private double Accuracy(Module model, Dataset test)
    {
        var correct = 0L;
        foreach (var (xb, yb) in new DataLoader(test, batchSize: 1000))
        {
            correct += (long)model.Forward(xb.To(Device)).ArgMax(1).Eq(yb.To(Device)).Sum().Item();
        }

        return correct / (double)test.Count;
    }

    /// <summary>The job's whole model, drawn from the seed on the CPU (a fresh context, so every call draws the same).</summary>
    private Module BuildModel() => _job.Model(new JobContext(_spec, Rank, Device));

    /// <summary>This worker's parameters by module path, detached, on the CPU.</summary>
    public IReadOnlyDictionary<string, Tensor> Parameters() => NamedParameters.ToDictionary(p => p.Name, p => p.Parameter.Detach().To(Device.Cpu));

    private static int IndexIn(ProcessGroup group, int rank)
    {
        for (var i = 0; i < group.Ranks.Count; i++)
        {
            if (group.Ranks[i] == rank)
            {
                return i;
            }
        }

        throw new ArgumentException($"rank {rank} is not a member of its {group.Name} group [{string.Join(", ", group.Ranks)}]");
    }
}
