namespace DistGrad.Nn;

/// <summary>Runs its children in order; they are named "0", "1", … as in PyTorch.</summary>
public sealed class Sequential : Module
{
    private readonly List<Module> _layers = [];

    public Sequential(params Module[] layers)
    {
        foreach (var layer in layers)
        {
            Append(layer);
        }
    }

    public int Count => _layers.Count;

    public Module this[int index] => _layers[index < 0 ? index + _layers.Count : index];

    public Sequential Append(Module layer)
    {
        _layers.Add(RegisterModule(_layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), layer));
        return this;
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
