using System.Diagnostics;
using DistGrad.Actors.Jobs;
using DistGrad.Actors.Stages;
using DistGrad.Actors.Telemetry;
using DistGrad.Data;
using DistGrad.Nn;
using DistGrad.Optim;

namespace DistGrad.Actors.Training;

/// <summary>
/// One replica's training, independent of actors: builds the model from the job's seed, takes its own
/// slice of every global batch, runs forward and backward per micro-step and then the gradient stages.
/// A worker actor drives it on its compute thread; tests drive several over an in-memory transport.
/// </summary>
public sealed class ReplicaTrainer
{
    private readonly JobSpec _spec;
    private readonly TensorDataset _train;
    private readonly GlobalBatchPlan _plan;
    private readonly bool _flatInput;
    private readonly double _lossScale;
    private readonly int _replica;
    private long _nextStep;

    public ReplicaTrainer(
        JobSpec spec, int rank, TensorDataset train, ProcessGroup dataParallelGroup, ProcessGroup modelGroup,
        IReadOnlyList<IGradientStage>? stages = null, Device? device = null)
    {
        JobSpecValidation.ThrowIfInvalid(spec);
        _spec = spec;
        _train = train;
        Rank = rank;
        DataParallelGroup = dataParallelGroup;
        ModelGroup = modelGroup;
        _replica = IndexIn(dataParallelGroup, rank);
        Stages = stages ?? StagePlan.For(spec);
        var accumulation = Stages.OfType<AccumulateStage>().SingleOrDefault()?.Steps ?? 1;
        _lossScale = 1.0 / accumulation;
        _plan = new GlobalBatchPlan(train.Count, spec.BatchSize, dataParallelGroup.Size, accumulation, spec.Seed);

        // Parameters are drawn on the CPU from the seed (the same on every device), then moved to the worker's device.
        Device = device ?? Device.Cpu;
        Model = ModelCatalog.Create(spec.Model, new Generator(spec.Seed));
        if (Device != Device.Cpu)
        {
            Model.To(Device);
        }

        _flatInput = ModelCatalog.TakesFlatInput(Model);
        NamedParameters = Model.NamedParameters().ToArray();
        Optimizer = OptimizerFactory.Create(spec, NamedParameters.Select(p => p.Parameter));
    }

    public int Rank { get; }

    /// <summary>Where this replica's parameters live and its kernels run.</summary>
    public Device Device { get; }

    public Module Model { get; }

    public Optimizer Optimizer { get; }

    public IReadOnlyList<(string Name, Tensor Parameter)> NamedParameters { get; }

    public IReadOnlyList<IGradientStage> Stages { get; }

    public ProcessGroup DataParallelGroup { get; }

    public ProcessGroup ModelGroup { get; }

    /// <summary>Samples in the training set.</summary>
    public int TrainSamples => _train.Count;

    /// <summary>Global batches per epoch.</summary>
    public int StepsPerEpoch => _plan.StepsPerEpoch;

    /// <summary>Copies rank 0's parameters to every replica, so replicas start equal whatever their seed did.</summary>
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

    /// <summary>Runs optimizer step <paramref name="step"/>: every micro-step's forward and backward, then the stages.</summary>
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
        var accumulation = _plan.AccumulationSteps;
        var lossSum = 0.0;
        var samples = 0;
        for (var k = 0; k < accumulation; k++)
        {
            var (x, y) = _train.GetBatch(_plan.Indices(step, _replica, k));
            if (Device != Device.Cpu)
            {
                (x, y) = (x.To(Device), y.To(Device));
            }

            if (_flatInput)
            {
                x = x.Reshape(x.Size(0), -1);
            }

            Tensor loss;
            using (DistGradTelemetry.Worker.StartActivity("forward"))
            {
                loss = Functional.CrossEntropy(Model.Forward(x), y);
            }

            using (DistGradTelemetry.Worker.StartActivity("backward"))
            {
                (accumulation == 1 ? loss : loss * _lossScale).Backward();
            }

            lossSum += loss.Item();
            samples += y.Size(0);
        }

        var context = new GradientStageContext(step, NamedParameters, Optimizer, DataParallelGroup, ModelGroup);
        foreach (var stage in Stages)
        {
            using var stageActivity = DistGradTelemetry.Worker.StartActivity("stage " + stage.Name);
            stage.Run(context);
        }

        _nextStep = step + 1;
        DistGradTelemetry.AllReduceBytes.Add(context.BytesAllReduced);
        DistGradTelemetry.Samples.Add(samples);
        return new StepResult(lossSum / accumulation, samples, context.GradNorm ?? double.NaN, context.BytesAllReduced, clock.Elapsed.TotalMilliseconds);
    }

    /// <summary>Accuracy of the current parameters on <paramref name="test"/>.</summary>
    public double Evaluate(TensorDataset test)
    {
        Model.Eval();
        var correct = 0L;
        using (Autograd.NoGrad())
        {
            foreach (var (xb, yb) in new DataLoader(test, batchSize: 1000))
            {
                var x = (_flatInput ? xb.Reshape(xb.Size(0), -1) : xb).To(Device);
                correct += (long)Model.Forward(x).ArgMax(1).Eq(yb.To(Device)).Sum().Item();
            }
        }

        return correct / (double)test.Count;
    }

    /// <summary>The parameters by module path, detached, for final.safetensors.</summary>
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
