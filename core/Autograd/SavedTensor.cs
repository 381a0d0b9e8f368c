namespace DistGrad;

/// <summary>
/// A tensor a node keeps for its backward, with the version it had when saved, so that an in-place change
/// made afterwards is caught instead of silently giving a wrong gradient.
/// </summary>
internal sealed class SavedTensor
{
    private Tensor? _tensor;
    private readonly int _version;

    // The node that saved its own output: an in-place change later moves the tensor's grad_fn, but
    // PyTorch's message still names the node whose output was saved.
    private readonly Node? _savedOutputOf;

    public SavedTensor(Tensor tensor, Node? savedOutputOf = null)
    {
        _tensor = tensor;
        _version = tensor.Version;
        _savedOutputOf = savedOutputOf;
    }

    public bool IsReleased => _tensor == null;

    /// <summary>The saved tensor while it is held (for memory accounting); null once released.</summary>
    public Tensor? Held => _tensor;

    public void Release() => _tensor = null;

    public Tensor Unpack()
    {
        var t = _tensor ?? throw new InvalidOperationException(
            "Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). " +
            "Saved intermediate values of the graph are freed when you call Backward() or Autograd.Grad(). " +
            "Specify retainGraph: true if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.");
        if (t.Version != _version)
        {
            var (producer, outputNr) = _savedOutputOf != null ? (_savedOutputOf, 0) : (t.GradFn, t.OutputNr);
            var which = producer != null ? $", which is output {outputNr} of {producer.Name}," : string.Empty;
            throw new InvalidOperationException(
                $"one of the variables needed for gradient computation has been modified by an inplace operation: [{TypeName(t)} {Shapes.Format(t.ShapeRef)}]{which} " +
                $"is at version {t.Version}; expected version {_version} instead. Hint: enable anomaly detection to find the operation that failed to compute its gradient, with Autograd.DetectAnomaly().");
        }

        return t;
    }

    private static string TypeName(Tensor t) => t.DType switch
    {
        DType.Float32 => "torch.FloatTensor",
        DType.Float64 => "torch.DoubleTensor",
        DType.Int64 => "torch.LongTensor",
        _ => "torch.BoolTensor",
    };
}
