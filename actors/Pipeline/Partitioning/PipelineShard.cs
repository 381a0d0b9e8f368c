using DistGrad.Nn;

namespace DistGrad.Distributed.Pipeline;

/// <summary>
/// A contiguous run of a model's children, run in order: one pipeline stage's part of the graph. The
/// children keep the names they had in the whole model, so a shard's parameters are named as in the full
/// model (3.weight, not 0.weight): metrics, checkpoints and final.safetensors speak one language.
/// </summary>
public sealed class PipelineShard : Module
{
    private readonly Module[] _layers;

    public PipelineShard(IEnumerable<(string Name, Module Layer)> layers)
    {
        var list = new List<Module>();
        foreach (var (name, layer) in layers)
        {
            list.Add(RegisterModule(name, layer));
        }

        _layers = [.. list];
    }

    protected override Tensor Compute(Tensor input)
    {
        foreach (var layer in _layers)
        {
            input = layer.Forward(input);
        }

        return input;
    }
}
