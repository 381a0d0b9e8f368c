using DistGrad.Distributed.Collectives;
using DistGrad.Distributed.DataPlane;

namespace DistGrad.Distributed.Pipeline;

/// <summary>
/// A pipeline stage's point-to-point links on the data plane: activations go to the next stage, their
/// gradients come back to the previous one, worker to worker (never through the coordinator). Float32 only.
/// </summary>
/// <remarks>
/// An activation is preceded by its shape (the receiver cannot know the batch's size in advance); a
/// gradient has the shape of the activation it belongs to, which its receiver sent. A transfer that
/// fails or times out is reported naming the neighbour and what was awaited.
/// </remarks>
public sealed class StageLinks
{
    private const int MaxDims = 8;
    private readonly ITransport _transport;

    /// <param name="transport">The worker's data-plane connections.</param>
    /// <param name="stage">This worker's stage.</param>
    /// <param name="previousRank">The rank of the stage before, or null for the first stage.</param>
    /// <param name="nextRank">The rank of the stage after, or null for the last stage.</param>
    public StageLinks(ITransport transport, int stage, int? previousRank, int? nextRank)
    {
        _transport = transport;
        Stage = stage;
        PreviousRank = previousRank;
        NextRank = nextRank;
    }

    public int Stage { get; }

    public int? PreviousRank { get; }

    public int? NextRank { get; }

    /// <summary>The underlying transport (the final gather of parameters uses it too).</summary>
    public ITransport Transport => _transport;

    public void SendActivation(long step, int microBatch, Tensor activation)
    {
        var next = NextRank ?? throw new InvalidOperationException($"stage {Stage} is the last stage and has nowhere to send activations");
        var header = new long[MaxDims + 1];
        if (activation.Dim > MaxDims)
        {
            throw new ArgumentException($"stage {Stage}: an activation of {activation.Dim} dims cannot cross a stage boundary (at most {MaxDims})");
        }

        header[0] = activation.Dim;
        for (var d = 0; d < activation.Dim; d++)
        {
            header[d + 1] = activation.Size(d);
        }

        Send(next, PipelineTags.ActivationShape(step, microBatch), ByteMemory<long>.Of(header), $"the shape of activation {microBatch}");
        Send(next, PipelineTags.Activation(step, microBatch), ByteMemory<float>.Of(Floats(activation, "activation")), $"activation {microBatch}");
    }

    /// <summary>The previous stage's output for <paramref name="microBatch"/>, on the host.</summary>
    public Tensor ReceiveActivation(long step, int microBatch)
    {
        var previous = PreviousRank ?? throw new InvalidOperationException($"stage {Stage} is the first stage and receives no activations");
        var header = new long[MaxDims + 1];
        Receive(previous, PipelineTags.ActivationShape(step, microBatch), ByteMemory<long>.Of(header), $"the shape of activation {microBatch}");
        var shape = new int[header[0]];
        for (var d = 0; d < shape.Length; d++)
        {
            shape[d] = checked((int)header[d + 1]);
        }

        var values = new float[shape.Aggregate(1L, (a, b) => a * b)];
        Receive(previous, PipelineTags.Activation(step, microBatch), ByteMemory<float>.Of(values), $"activation {microBatch}");
        return Tensor.From(values, shape);
    }

    public void SendGradient(long step, int microBatch, Tensor gradient)
    {
        var previous = PreviousRank ?? throw new InvalidOperationException($"stage {Stage} is the first stage and has nowhere to send gradients");
        Send(previous, PipelineTags.Gradient(step, microBatch), ByteMemory<float>.Of(Floats(gradient, "gradient")), $"the gradient of activation {microBatch}");
    }

    /// <summary>The next stage's gradient for this stage's output of <paramref name="microBatch"/>, on the host.</summary>
    public Tensor ReceiveGradient(long step, int microBatch, int[] shape)
    {
        var next = NextRank ?? throw new InvalidOperationException($"stage {Stage} is the last stage and receives no gradients");
        var values = new float[shape.Aggregate(1L, (a, b) => a * b)];
        Receive(next, PipelineTags.Gradient(step, microBatch), ByteMemory<float>.Of(values), $"the gradient of activation {microBatch}");
        return Tensor.From(values, shape);
    }

    /// <summary>Sends a whole tensor's values to <paramref name="peer"/> (gathering the final parameters).</summary>
    public void SendValues(int peer, long tag, Tensor tensor, string what) => Send(peer, tag, ByteMemory<float>.Of(Floats(tensor, what)), what);

    /// <summary>Receives <paramref name="shape"/>'s number of values from <paramref name="peer"/>.</summary>
    public Tensor ReceiveValues(int peer, long tag, int[] shape, string what)
    {
        var values = new float[shape.Aggregate(1L, (a, b) => a * b)];
        Receive(peer, tag, ByteMemory<float>.Of(values), what);
        return Tensor.From(values, shape);
    }

    private float[] Floats(Tensor tensor, string what)
    {
        if (tensor.DType != DType.Float32)
        {
            throw new ArgumentException($"stage {Stage}: the {what} is {tensor.DType}; pipeline stages exchange Float32 tensors");
        }

        return tensor.Detach().To(Device.Cpu).ToArray<float>();
    }

    private void Send(int peer, long tag, Memory<byte> payload, string what)
    {
        try
        {
            _transport.SendAsync(peer, tag, payload).AsTask().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is IOException or TimeoutException or ObjectDisposedException)
        {
            throw new IOException($"stage {Stage} (rank {_transport.Rank}) could not send {what} to rank {peer}: {e.Message}", e);
        }
    }

    private void Receive(int peer, long tag, Memory<byte> destination, string what)
    {
        try
        {
            _transport.ReceiveAsync(peer, tag, destination).AsTask().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is IOException or TimeoutException or ObjectDisposedException)
        {
            throw new IOException($"stage {Stage} (rank {_transport.Rank}) awaited {what} from rank {peer}: {e.Message}", e);
        }
    }
}
