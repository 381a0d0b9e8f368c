using DistGrad.Distributed.Telemetry;
using DistGrad.Data;
using DistGrad.Nn;

using DistGrad.Distributed.Pipeline;

namespace DistGrad.Distributed.Training;

/// <summary>
/// Runs one worker's action list of a pipeline schedule for one optimizer step: forward and backward of
/// each micro-batch of its shard, the activation and gradient transfers with its neighbours, and the
/// gradient processors. With one stage the list is the plain accumulation loop (Forward, Backward, …).
/// </summary>
/// <remarks>
/// A stage boundary is the seed's own machinery: the received activation becomes a leaf with
/// <c>RequiresGrad = true</c>, forward builds the local graph, backward is <c>output.Backward(gradient: g)</c>
/// and <c>input.Grad</c> goes upstream. Each micro-batch's graph lives from its forward to its backward;
/// the schedule decides how many are alive at once, which this runner measures (saved activation bytes,
/// parameters excluded). Every action is timed into the step's timeline.
/// </remarks>
internal sealed class ScheduleRunner
{
    private readonly TrainerShape _shape;
    private readonly Module _model;
    private readonly Dataset _train;
    private readonly Func<Tensor, Tensor, Tensor> _loss;
    private readonly GlobalBatchPlan _plan;
    private readonly StageLinks? _links;
    private readonly PipelineSchedule _schedule;
    private readonly Tensor[] _parameters;

    public ScheduleRunner(TrainerShape shape, Module model, Dataset train, Func<Tensor, Tensor, Tensor> loss, GlobalBatchPlan plan, StageLinks? links, PipelineSchedule schedule)
    {
        if (shape.Stages > 1 && links == null)
        {
            throw new ArgumentException($"stage {shape.Stage} of a {shape.Stages}-stage pipeline needs links to its neighbours");
        }

        _shape = shape;
        _model = model;
        _train = train;
        _loss = loss;
        _plan = plan;
        _links = links;
        _schedule = schedule;
        _parameters = model.Parameters().ToArray();
    }

    /// <summary>
    /// Runs the schedule <see cref="TrainerShape.Rounds"/> times (accumulation rounds), calling
    /// <paramref name="runGradientPipeline"/> at the GradientPipeline action of the last round.
    /// </summary>
    public ScheduleOutcome Run(long step, Action runGradientPipeline)
    {
        var microBatches = _schedule.MicroBatches;
        var chunks = _shape.Rounds * microBatches;
        var state = new MicroBatchState(microBatches);
        var timeline = new List<TimelineEvent>(chunks * 4 + 1);
        var outcome = new ScheduleOutcome(timeline);
        for (var round = 0; round < _shape.Rounds; round++)
        {
            foreach (var action in _schedule.ForStage(_shape.Stage))
            {
                if (action.Kind == PipelineActionKind.GradientPipeline)
                {
                    if (round == _shape.Rounds - 1)
                    {
                        Timed(step, timeline, TimelineCategories.Gradients, "gradients", runGradientPipeline);
                    }

                    continue;
                }

                var chunk = (round * microBatches) + action.MicroBatch;
                var (name, category) = Describe(action.Kind, chunk);
                try
                {
                    Timed(step, timeline, name, category, () => Execute(step, action, chunk, chunks, state, outcome));
                }
                catch (Exception e)
                {
                    throw new PipelineStageException(_shape.Stage, action.MicroBatch, chunk, action, _shape.Rank, e);
                }
            }
        }

        return outcome;
    }

    private void Execute(long step, PipelineAction action, int chunk, int chunks, MicroBatchState state, ScheduleOutcome outcome)
    {
        var m = action.MicroBatch;
        switch (action.Kind)
        {
            case PipelineActionKind.RecvActivation:
                var received = _links!.ReceiveActivation(step, chunk);
                state.Inputs[m] = (_shape.Device == Device.Cpu ? received : received.To(_shape.Device)).SetRequiresGrad();
                break;
            case PipelineActionKind.Forward:
                Forward(step, m, chunk, state, outcome);
                break;
            case PipelineActionKind.SendActivation:
                _links!.SendActivation(step, chunk, Required(state.Outputs[m], "an output", action));
                break;
            case PipelineActionKind.RecvGradient:
                var gradient = _links!.ReceiveGradient(step, chunk, Required(state.Outputs[m], "an output", action).Shape);
                state.Gradients[m] = _shape.Device == Device.Cpu ? gradient : gradient.To(_shape.Device);
                break;
            case PipelineActionKind.Backward:
                using (DistGradTelemetry.Worker.StartActivity("backward"))
                {
                    var output = Required(state.Outputs[m], "an output", action);
                    if (_shape.IsLastStage)
                    {
                        // PyTorch's accumulation recipe: each micro-batch's mean loss scaled by 1/chunks.
                        (chunks == 1 ? output : output * (1.0 / chunks)).Backward();
                    }
                    else
                    {
                        output.Backward(Required(state.Gradients[m], "a gradient", action));
                    }
                }

                outcome.Release(state.ActivationBytes[m]);
                state.Outputs[m] = null;
                state.Gradients[m] = null;
                break;
            case PipelineActionKind.SendGradient:
                var input = Required(state.Inputs[m], "an input", action);
                _links!.SendGradient(step, chunk, input.Grad ?? throw new InvalidOperationException($"backward of micro-batch {m} left no gradient on the stage's input"));
                state.Inputs[m] = null;
                break;
            default:
                throw new InvalidOperationException($"{action} is not an action a stage can run");
        }
    }

    private void Forward(long step, int m, int chunk, MicroBatchState state, ScheduleOutcome outcome)
    {
        var (x, y) = _shape.IsFirstStage || _shape.IsLastStage ? _train.GetBatch(_plan.Indices(step, _shape.Replica, chunk)) : default;
        Tensor input;
        if (_shape.IsFirstStage)
        {
            input = _shape.Device == Device.Cpu ? x! : x!.To(_shape.Device);
        }
        else
        {
            input = state.Inputs[m] ?? throw new InvalidOperationException($"Forward({m}) came before RecvActivation({m})");
        }

        Tensor output;
        using (DistGradTelemetry.Worker.StartActivity("forward"))
        {
            output = _model.Forward(input);
            if (_shape.IsLastStage)
            {
                var labels = _shape.Device == Device.Cpu ? y! : y!.To(_shape.Device);
                output = _loss(output, labels);
                outcome.LossSum += output.Item();
                outcome.Samples += labels.Size(0);
            }
        }

        state.Outputs[m] = output;
        state.ActivationBytes[m] = Autograd.SavedTensorBytes(output, _parameters);
        outcome.Hold(state.ActivationBytes[m]);
    }

    private void Timed(long step, List<TimelineEvent> timeline, string name, string category, Action work)
    {
        var start = TimelineClock.NowMicroseconds();
        work();
        var end = TimelineClock.NowMicroseconds();
        timeline.Add(new TimelineEvent(_shape.Rank, _shape.Replica, _shape.Stage, step, name, category, start, end - start));
    }

    private static (string Name, string Category) Describe(PipelineActionKind kind, int chunk) => kind switch
    {
        PipelineActionKind.Forward => ($"F{chunk}", "forward"),
        PipelineActionKind.Backward => ($"B{chunk}", "backward"),
        PipelineActionKind.SendActivation => ($"send act {chunk}", "send"),
        PipelineActionKind.RecvActivation => ($"recv act {chunk}", "recv"),
        PipelineActionKind.SendGradient => ($"send grad {chunk}", "send"),
        PipelineActionKind.RecvGradient => ($"recv grad {chunk}", "recv"),
        _ => (kind.ToString(), "other"),
    };

    private static Tensor Required(Tensor? tensor, string what, PipelineAction action) =>
        tensor ?? throw new InvalidOperationException($"{action} found no {what} for micro-batch {action.MicroBatch}: the schedule runs it out of order");

    /// <summary>The live tensors of the micro-batches in flight.</summary>
    private sealed class MicroBatchState(int microBatches)
    {
        public Tensor?[] Inputs { get; } = new Tensor?[microBatches];

        public Tensor?[] Outputs { get; } = new Tensor?[microBatches];

        public Tensor?[] Gradients { get; } = new Tensor?[microBatches];

        public long[] ActivationBytes { get; } = new long[microBatches];
    }
}
