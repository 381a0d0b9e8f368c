namespace DistGrad.Nn;

/// <summary>
/// Parameter initialisation (torch.nn.init), in place and without recording; every draw takes a seeded
/// generator (the default one unless given).
/// </summary>
public static class Init
{
    /// <summary>The recommended gain for a nonlinearity ("linear", "sigmoid", "tanh", "relu", "leaky_relu", "selu").</summary>
    public static double CalculateGain(string nonlinearity, double? param = null) => nonlinearity switch
    {
        "linear" or "conv1d" or "conv2d" or "conv3d" or "sigmoid" => 1,
        "tanh" => 5.0 / 3,
        "relu" => Math.Sqrt(2.0),
        "leaky_relu" => Math.Sqrt(2.0 / (1 + Math.Pow(param ?? 0.01, 2))),
        "selu" => 3.0 / 4,
        _ => throw new ArgumentException($"Unsupported nonlinearity {nonlinearity}", nameof(nonlinearity)),
    };

    /// <summary>(fan_in, fan_out) of a weight: dims 1 and 0 times the receptive field (PyTorch's rule).</summary>
    public static (int FanIn, int FanOut) CalculateFans(Tensor tensor)
    {
        if (tensor.Dim < 2)
        {
            throw new ArgumentException($"Fan in and fan out can not be computed for tensor with fewer than 2 dimensions (shape [{string.Join(", ", tensor.Shape)}])");
        }

        var receptive = tensor.Shape.Skip(2).Aggregate(1, (a, b) => a * b);
        return (tensor.Size(1) * receptive, tensor.Size(0) * receptive);
    }

    public static Tensor Uniform(Tensor tensor, double low = 0, double high = 1, Generator? generator = null) =>
        Fill(tensor, Tensor.Rand(tensor.Shape, tensor.DType, generator: generator) * (high - low) + low);

    public static Tensor Normal(Tensor tensor, double mean = 0, double std = 1, Generator? generator = null) =>
        Fill(tensor, (Tensor.Randn(tensor.Shape, tensor.DType, generator: generator) * std) + mean);

    public static Tensor Constant(Tensor tensor, double value) => Fill(tensor, Tensor.Full(tensor.Shape, value, tensor.DType));

    public static Tensor Zeros(Tensor tensor) => Constant(tensor, 0);

    public static Tensor Ones(Tensor tensor) => Constant(tensor, 1);

    /// <summary>U(−a, a) with a = gain·√(6 / (fan_in + fan_out)).</summary>
    public static Tensor XavierUniform(Tensor tensor, double gain = 1, Generator? generator = null)
    {
        var (fanIn, fanOut) = CalculateFans(tensor);
        var bound = gain * Math.Sqrt(6.0 / (fanIn + fanOut));
        return Uniform(tensor, -bound, bound, generator);
    }

    /// <summary>N(0, std²) with std = gain·√(2 / (fan_in + fan_out)).</summary>
    public static Tensor XavierNormal(Tensor tensor, double gain = 1, Generator? generator = null)
    {
        var (fanIn, fanOut) = CalculateFans(tensor);
        return Normal(tensor, 0, gain * Math.Sqrt(2.0 / (fanIn + fanOut)), generator);
    }

    /// <summary>U(−b, b) with b = gain·√(3 / fan), gain from <paramref name="nonlinearity"/> and <paramref name="a"/>.</summary>
    public static Tensor KaimingUniform(Tensor tensor, double a = 0, string mode = "fan_in", string nonlinearity = "leaky_relu", Generator? generator = null)
    {
        var std = CalculateGain(nonlinearity, a) / Math.Sqrt(Fan(tensor, mode));
        var bound = Math.Sqrt(3.0) * std;
        return Uniform(tensor, -bound, bound, generator);
    }

    public static Tensor KaimingNormal(Tensor tensor, double a = 0, string mode = "fan_in", string nonlinearity = "leaky_relu", Generator? generator = null) =>
        Normal(tensor, 0, CalculateGain(nonlinearity, a) / Math.Sqrt(Fan(tensor, mode)), generator);

    private static int Fan(Tensor tensor, string mode)
    {
        var (fanIn, fanOut) = CalculateFans(tensor);
        return mode switch
        {
            "fan_in" => fanIn,
            "fan_out" => fanOut,
            _ => throw new ArgumentException($"Mode {mode} not supported, please use one of fan_in, fan_out", nameof(mode)),
        };
    }

    private static Tensor Fill(Tensor tensor, Tensor values)
    {
        using (Autograd.NoGrad())
        {
            tensor.CopyFrom(values);
        }

        return tensor;
    }
}
