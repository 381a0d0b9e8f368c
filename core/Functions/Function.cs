namespace DistGrad;

/// <summary>
/// A custom autograd function (torch.autograd.Function): derive <c>class MyReLU : Function&lt;MyReLU&gt;</c>,
/// override the Forward that matches how you call it and <see cref="Backward(FunctionContext, Tensor)"/>,
/// and call it with the static <c>MyReLU.Apply(x)</c>. Forward runs without recording; its outputs get
/// one node named "MyReLUBackward" whose backward is yours.
/// </summary>
public abstract class Function<TSelf>
    where TSelf : Function<TSelf>, new()
{
    /// <summary>The node name PyTorch would give: the class name plus "Backward".</summary>
    public static string NodeName => typeof(TSelf).Name + "Backward";

    // Only one typed overload: C# numbers convert to Tensor implicitly, so Apply(Tensor, Tensor) would
    // capture Apply(x, 2.0) and turn the number into a tensor argument.
    public static Tensor Apply(Tensor input) => Apply([input]);

    /// <summary>Any mix of tensors and other values (their gradient is null); the single output.</summary>
    public static Tensor Apply(params object?[] args)
    {
        var outputs = ApplyMany(args);
        return outputs.Length == 1
            ? outputs[0]
            : throw new InvalidOperationException($"{typeof(TSelf).Name} returned {outputs.Length} outputs: call ApplyMany");
    }

    /// <summary>Runs the function and returns all its outputs.</summary>
    public static Tensor[] ApplyMany(params object?[] args) => FunctionRunner.Run(new TSelf(), NodeName, args);

    // ---------------------------------------------------------------- what users override

    /// <summary>Forward of one tensor.</summary>
    public virtual Tensor Forward(FunctionContext ctx, Tensor input) => throw Missing("Forward(ctx, Tensor)");

    /// <summary>Forward of two tensors.</summary>
    public virtual Tensor Forward(FunctionContext ctx, Tensor a, Tensor b) => throw Missing("Forward(ctx, Tensor, Tensor)");

    /// <summary>Forward of three tensors.</summary>
    public virtual Tensor Forward(FunctionContext ctx, Tensor a, Tensor b, Tensor c) => throw Missing("Forward(ctx, Tensor, Tensor, Tensor)");

    /// <summary>Forward of a tensor and a number (e.g. a scale).</summary>
    public virtual Tensor Forward(FunctionContext ctx, Tensor input, double value) => throw Missing("Forward(ctx, Tensor, double)");

    /// <summary>
    /// The general forward: any arguments, any number of outputs. By default it calls the typed Forward
    /// that fits the arguments.
    /// </summary>
    public virtual Tensor[] ForwardMany(FunctionContext ctx, object?[] args) => args switch
    {
        [Tensor x] => [Forward(ctx, x)],
        [Tensor a, Tensor b] => [Forward(ctx, a, b)],
        [Tensor a, Tensor b, Tensor c] => [Forward(ctx, a, b, c)],
        [Tensor x, double v] => [Forward(ctx, x, v)],
        [Tensor x, float v] => [Forward(ctx, x, v)],
        [Tensor x, int v] => [Forward(ctx, x, v)],
        _ => throw Missing($"ForwardMany(ctx, args) for arguments ({string.Join(", ", args.Select(a => a?.GetType().Name ?? "null"))})"),
    };

    /// <summary>Gradients of the forward arguments (null for non-tensors), given the output's gradient.</summary>
    public virtual Tensor?[] Backward(FunctionContext ctx, Tensor gradOutput) => throw Missing("Backward(ctx, Tensor)");

    /// <summary>The general backward, for several outputs; by default calls the single-output Backward.</summary>
    public virtual Tensor?[] BackwardMany(FunctionContext ctx, Tensor?[] gradOutputs) => Backward(ctx, gradOutputs[0]!);

    private static NotImplementedException Missing(string what) =>
        new($"{typeof(TSelf).Name} does not override {what}; override the Forward/Backward that matches how it is applied");
}
