using DistGrad.Distributed.Checkpoints;
using DistGrad.Nn;
using DistGrad.Optim;

namespace DistGrad.Distributed.Tests.Checkpoints;

public class WorkerStateTests
{
    public static TheoryData<string> Optimizers => ["sgd-momentum", "adam"];

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Training_resumed_from_a_checkpoint_matches_training_that_never_stopped_bit_for_bit(string kind)
    {
        using var temp = new TempDirectory();
        var (inputs, targets) = Data();
        var model = Model(seed: 1);
        var optimizer = Optimizer(kind, model);
        var rng = new Generator(7);
        Train(model, optimizer, inputs, targets, 3);
        rng.NextNormal(); // leaves a spare normal in the state, which must travel too

        var store = new CheckpointStore(temp.Path);
        var metadata = new Dictionary<string, string> { ["rng"] = Convert.ToBase64String(rng.GetState()), ["samples_seen"] = "24" };
        var shard = store.WriteShard(3, 0, WorkerState.Capture(3, [.. model.NamedParameters()], optimizer, metadata));
        store.Commit(3, 1, [shard], new Dictionary<string, string>());

        var resumedModel = Model(seed: 2);
        var resumedOptimizer = Optimizer(kind, resumedModel);
        var read = store.ReadShard(store.LatestValid()!, 0);
        WorkerState.Restore(read, [.. resumedModel.NamedParameters()], resumedOptimizer);
        var resumedRng = new Generator(0);
        resumedRng.SetState(Convert.FromBase64String(read.Metadata["rng"]));

        Train(model, optimizer, inputs, targets, 3);
        Train(resumedModel, resumedOptimizer, inputs, targets, 3);

        var expected = model.NamedParameters().ToList();
        var actual = resumedModel.NamedParameters().ToList();
        Assert.Equal(expected.Select(p => p.Name), actual.Select(p => p.Name));
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Parameter.ToArray<float>(), actual[i].Parameter.ToArray<float>());
        }

        Assert.Equal(rng.NextNormal(), resumedRng.NextNormal());
        Assert.Equal(rng.NextDouble(), resumedRng.NextDouble());
        Assert.Equal("24", read.Metadata["samples_seen"]);
    }

    [Fact]
    public void Capture_copies_so_later_steps_do_not_change_the_checkpoint()
    {
        var model = Model(seed: 1);
        var optimizer = Optimizer("sgd-momentum", model);
        var (inputs, targets) = Data();
        Train(model, optimizer, inputs, targets, 1);
        var captured = WorkerState.Capture(1, [.. model.NamedParameters()], optimizer, new Dictionary<string, string>());
        var before = captured.Parameters["0.weight"].ToArray<float>();
        var momentumBefore = captured.OptimizerState["state.0.momentum_buffer"].ToArray<float>();

        Train(model, optimizer, inputs, targets, 1);

        Assert.Equal(before, captured.Parameters["0.weight"].ToArray<float>());
        Assert.Equal(momentumBefore, captured.OptimizerState["state.0.momentum_buffer"].ToArray<float>());
        Assert.NotEqual(before, model.NamedParameters().First().Parameter.ToArray<float>());
    }

    [Fact]
    public void Restore_names_missing_unexpected_and_mismatched_parameters_and_changes_nothing()
    {
        var model = Model(seed: 1);
        var optimizer = Optimizer("adam", model);
        var captured = WorkerState.Capture(0, [.. model.NamedParameters()], optimizer, new Dictionary<string, string>());
        var other = new Sequential(new Linear(4, 8), new Tanh(), new Linear(8, 2));
        var renamed = other.NamedParameters().Select(p => (p.Name == "0.bias" ? "0.b" : p.Name, p.Parameter)).ToList();
        var untouched = renamed[0].Parameter.ToArray<float>();

        var error = Assert.Throws<InvalidDataException>(() => WorkerState.Restore(captured, renamed, Optimizer("adam", other)));

        Assert.Contains("missing parameter(s) \"0.b\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("unexpected parameter(s) \"0.bias\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"2.weight\" has shape [3, 8] in the checkpoint and [2, 8] here", error.Message, StringComparison.Ordinal);
        Assert.Equal(untouched, renamed[0].Parameter.ToArray<float>());
    }

    [Fact]
    public void Restore_into_an_optimizer_of_another_shape_throws_invalid_data()
    {
        var model = Model(seed: 1);
        var captured = WorkerState.Capture(0, [.. model.NamedParameters()], Optimizer("adam", model), new Dictionary<string, string>());
        var partial = new Adam(model.Parameters().Take(2), lr: 0.01);

        Assert.Throws<InvalidDataException>(() => WorkerState.Restore(captured, [.. model.NamedParameters()], partial));
    }

    private static Sequential Model(long seed)
    {
        var generator = new Generator(seed);
        return new Sequential(new Linear(4, 8, generator: generator), new Tanh(), new Linear(8, 3, generator: generator));
    }

    private static Optimizer Optimizer(string kind, Module model) => kind switch
    {
        "sgd-momentum" => new SGD(model.Parameters(), lr: 0.05, momentum: 0.9, weightDecay: 1e-3),
        "adam" => new Adam(model.Parameters(), lr: 0.01),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static (Tensor Inputs, Tensor Targets) Data()
    {
        var generator = new Generator(3);
        return (Tensor.Randn([16, 4], generator: generator), Tensor.Randn([16, 3], generator: generator));
    }

    private static void Train(Module model, Optimizer optimizer, Tensor inputs, Tensor targets, int steps)
    {
        var loss = new MSELoss();
        for (var i = 0; i < steps; i++)
        {
            optimizer.ZeroGrad();
            loss.Forward(model.Forward(inputs), targets).Backward();
            optimizer.Step();
        }
    }
}
