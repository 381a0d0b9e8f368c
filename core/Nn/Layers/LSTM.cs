namespace DistGrad.Nn;

/// <summary>
/// A multi-layer LSTM (torch.nn.LSTM) with PyTorch's gate order (input, forget, cell, output), parameter
/// names (weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0, …) and initialisation U(−1/√H, 1/√H).
/// Input is [T, B, inputSize] ([B, T, inputSize] with batchFirst; [T, inputSize] unbatched).
/// </summary>
public sealed class LSTM : Module
{
    private readonly (Tensor WeightIh, Tensor WeightHh, Tensor BiasIh, Tensor BiasHh)[] _layers;

    public LSTM(int inputSize, int hiddenSize, int numLayers = 1, bool batchFirst = false, Generator? generator = null)
    {
        if (inputSize <= 0 || hiddenSize <= 0 || numLayers <= 0)
        {
            throw new ArgumentException($"LSTM needs positive sizes, got inputSize={inputSize}, hiddenSize={hiddenSize}, numLayers={numLayers}");
        }

        (InputSize, HiddenSize, NumLayers, BatchFirst) = (inputSize, hiddenSize, numLayers, batchFirst);
        _layers = new (Tensor, Tensor, Tensor, Tensor)[numLayers];
        for (var l = 0; l < numLayers; l++)
        {
            var layerInput = l == 0 ? inputSize : hiddenSize;
            _layers[l] = (
                RegisterParameter($"weight_ih_l{l}", Tensor.Empty([4 * hiddenSize, layerInput]))!,
                RegisterParameter($"weight_hh_l{l}", Tensor.Empty([4 * hiddenSize, hiddenSize]))!,
                RegisterParameter($"bias_ih_l{l}", Tensor.Empty([4 * hiddenSize]))!,
                RegisterParameter($"bias_hh_l{l}", Tensor.Empty([4 * hiddenSize]))!);
        }

        var bound = 1 / Math.Sqrt(hiddenSize);
        foreach (var p in Parameters())
        {
            Init.Uniform(p, -bound, bound, generator);
        }
    }

    public int InputSize { get; }

    public int HiddenSize { get; }

    public int NumLayers { get; }

    public bool BatchFirst { get; }

    /// <summary>The output sequence and the final (H, C), each [numLayers, B, hiddenSize] (no batch dim when unbatched).</summary>
    public (Tensor Output, (Tensor H, Tensor C) State) Forward(Tensor input, (Tensor H, Tensor C)? state)
    {
        (Tensor H, Tensor C)? final = null;
        var output = RunWithHooks(input, x =>
        {
            var (o, s) = Run(x, state);
            final = s;
            return o;
        });
        return (output, final!.Value);
    }

    protected override Tensor Compute(Tensor input) => Run(input, null).Output;

    private (Tensor Output, (Tensor H, Tensor C) State) Run(Tensor input, (Tensor H, Tensor C)? state)
    {
        var unbatched = input.Dim == 2;
        if (input.Dim is not (2 or 3) || input.Size(-1) != InputSize)
        {
            throw new ArgumentException($"LSTM expects input of shape [T, B, {InputSize}] (or [T, {InputSize}]), got [{string.Join(", ", input.Shape)}]");
        }

        var x = unbatched ? input.Unsqueeze(1) : BatchFirst ? input.Transpose(0, 1) : input;
        var (steps, batch) = (x.Size(0), x.Size(1));
        var (h0, c0) = state is { } s
            ? (unbatched ? s.H.Unsqueeze(1) : s.H, unbatched ? s.C.Unsqueeze(1) : s.C)
            : (Tensor.Zeros([NumLayers, batch, HiddenSize], input.DType), Tensor.Zeros([NumLayers, batch, HiddenSize], input.DType));
        CheckState(h0, batch, "h");
        CheckState(c0, batch, "c");

        var finalH = new Tensor[NumLayers];
        var finalC = new Tensor[NumLayers];
        for (var l = 0; l < NumLayers; l++)
        {
            var (wIh, wHh, bIh, bHh) = _layers[l];

            // One matmul for the input projections of every step; the recurrence needs one per step.
            var projected = Functional.Linear(x.Reshape(steps * batch, -1), wIh, bIh).Reshape(steps, batch, 4 * HiddenSize);
            var (h, c) = (h0.Select(0, l), c0.Select(0, l));
            var outputs = new Tensor[steps];
            for (var t = 0; t < steps; t++)
            {
                var gates = projected.Select(0, t) + Functional.Linear(h, wHh, bHh);
                var i = gates.Narrow(1, 0, HiddenSize).Sigmoid();
                var f = gates.Narrow(1, HiddenSize, HiddenSize).Sigmoid();
                var g = gates.Narrow(1, 2 * HiddenSize, HiddenSize).Tanh();
                var o = gates.Narrow(1, 3 * HiddenSize, HiddenSize).Sigmoid();
                c = (f * c) + (i * g);
                h = o * c.Tanh();
                outputs[t] = h;
            }

            x = Tensor.Stack(outputs);
            (finalH[l], finalC[l]) = (h, c);
        }

        var (hn, cn) = (Tensor.Stack(finalH), Tensor.Stack(finalC));
        var output = unbatched ? x.Squeeze(1) : BatchFirst ? x.Transpose(0, 1) : x;
        return (output, unbatched ? (hn.Squeeze(1), cn.Squeeze(1)) : (hn, cn));
    }

    private void CheckState(Tensor t, int batch, string name)
    {
        if (!t.Shape.SequenceEqual([NumLayers, batch, HiddenSize]))
        {
            throw new ArgumentException($"Expected hidden {name} size ({NumLayers}, {batch}, {HiddenSize}), got [{string.Join(", ", t.Shape)}]");
        }
    }

    protected override string ExtraRepr() => $"{InputSize}, {HiddenSize}" + (NumLayers != 1 ? $", num_layers={NumLayers}" : string.Empty) + (BatchFirst ? ", batch_first=True" : string.Empty);
}
