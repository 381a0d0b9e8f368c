namespace DistGrad;

/// <summary>The node of one application of a custom function: calls the user's backward and checks its answer.</summary>
internal sealed class FunctionNode<TSelf> : Node
    where TSelf : Function<TSelf>, new()
{
    private readonly string _name;
    private readonly Function<TSelf> _function;
    private readonly FunctionContext _ctx;
    private readonly bool[] _argIsTensor;
    private readonly InputMeta[] _outputMetas;

    public FunctionNode(string name, Function<TSelf> function, FunctionContext ctx, object?[] args, Tensor[] tensorInputs, int numOutputs)
        : base(
            tensorInputs.Select(t => t.GradientEdge()).ToArray(),
            tensorInputs.Select(t => new InputMeta(t.ShapeRef, t.DType, t.Device)).ToArray(),
            numOutputs)
    {
        _name = name;
        _function = function;
        _ctx = ctx;
        _argIsTensor = args.Select(a => a is Tensor).ToArray();
        _outputMetas = new InputMeta[numOutputs];
        if (Autograd.IsAnomalyEnabled)
        {
            ForwardTrace = Autograd.CaptureForwardSite();
        }
    }

    public override string Name => _name;

    internal void SetOutputMeta(int index, Tensor output) => _outputMetas[index] = new InputMeta(output.ShapeRef, output.DType, output.Device);

    internal override Tensor?[] Apply(Tensor?[] gradOutputs)
    {
        if (_ctx.MaterializeGrads)
        {
            gradOutputs = gradOutputs.Select((g, i) => g ?? Tensor.Zeros(_outputMetas[i].Shape, _outputMetas[i].DType, device: _outputMetas[i].Device)).ToArray();
        }

        var grads = _function.BackwardMany(_ctx, gradOutputs);
        if (grads.Length != _argIsTensor.Length)
        {
            throw new InvalidOperationException(
                $"function {_name} returned an incorrect number of gradients (expected {_argIsTensor.Length}, got {grads.Length})");
        }

        // One gradient per forward argument; keep those of tensor arguments, in order, for the edges.
        var result = new List<Tensor?>();
        for (var i = 0; i < grads.Length; i++)
        {
            if (_argIsTensor[i])
            {
                result.Add(grads[i]);
            }
            else if (grads[i] != null)
            {
                throw new InvalidOperationException(
                    $"function {_name} returned a gradient different than null at position {i + 1}, but the corresponding forward input was not a Tensor");
            }
        }

        return result.ToArray();
    }

    internal override void ReleaseVariables() => _ctx.Release();

    internal override IEnumerable<Tensor> HeldTensors => _ctx.HeldTensors;
}
