namespace DistGrad.Tests.Nn;

using DistGrad.Nn;
using DistGrad.Serialization;

/// <summary>A model's state dict through safetensors and back: the same parameters, buffers and outputs.</summary>
public class ModelCheckpointTests
{
    private static Sequential Model(long seed) => new(
        new Linear(4, 8, generator: new Generator(seed)), new BatchNorm1d(8), new ReLU(), new Linear(8, 3, generator: new Generator(seed + 1)));

    [Fact]
    public void StateDictRoundTripsThroughSafeTensors()
    {
        var source = Model(1);
        source.Forward(LayerValueTests.Det([5, 4], 1)); // moves the batch-norm running statistics
        var directory = Directory.CreateTempSubdirectory("distgrad-model");
        var path = Path.Combine(directory.FullName, "model.safetensors");

        SafeTensors.Save(path, source.StateDict());
        var loaded = SafeTensors.Load(path);
        var target = Model(7);
        target.LoadStateDict(loaded);

        Assert.Equal(source.StateDict().Keys, loaded.Keys);
        Assert.Equal(DType.Int64, loaded["1.num_batches_tracked"].DType);
        foreach (var (name, value) in source.StateDict())
        {
            Assert.Equal(value.ToArray<double>(), target.StateDict()[name].ToArray<double>());
        }

        source.Eval();
        target.Eval();
        var x = LayerValueTests.Det([2, 4], 2);
        Assert.Equal(source.Forward(x).ToArray<float>(), target.Forward(x).ToArray<float>());
        directory.Delete(recursive: true);
    }
}
