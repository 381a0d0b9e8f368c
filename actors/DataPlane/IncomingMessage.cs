using System.Buffers;

namespace DistGrad.Distributed.DataPlane;

/// <summary>
/// Where the bytes of one arriving message go while they stream in: straight into a receive that was
/// already posted, into a pooled buffer that waits for its receive, or nowhere (a receive that failed).
/// </summary>
internal sealed class IncomingMessage : ITagQueueItem<IncomingMessage>
{
    private IncomingMessage(long tag, int length, PendingReceive? target, byte[]? buffer)
    {
        Tag = tag;
        Length = length;
        Target = target;
        Buffer = buffer;
    }

    public long Tag { get; }

    public int Length { get; }

    /// <summary>How many bytes have arrived so far.</summary>
    public int Written { get; private set; }

    public PendingReceive? Target { get; }

    /// <summary>Rented from <see cref="ArrayPool{T}.Shared"/>; whoever consumes the message returns it.</summary>
    public byte[]? Buffer { get; private set; }

    /// <summary>Next arrived message with the same tag (kept in arrival order).</summary>
    public IncomingMessage? Next { get; set; }

    public bool IsComplete => Written == Length;

    public static IncomingMessage Into(PendingReceive target, int length) => new(target.Tag, length, target, null);

    public static IncomingMessage Buffered(long tag, int length) =>
        new(tag, length, null, length == 0 ? [] : ArrayPool<byte>.Shared.Rent(length));

    public static IncomingMessage Discarded(long tag, int length) => new(tag, length, null, null);

    public void Write(ReadOnlySpan<byte> bytes)
    {
        if (Target is not null)
        {
            Target.Write(Written, bytes);
        }
        else if (Buffer is not null)
        {
            bytes.CopyTo(Buffer.AsSpan(Written));
        }

        Written += bytes.Length;
    }

    public ReadOnlySpan<byte> Payload => Buffer.AsSpan(0, Length);

    public void ReturnBuffer()
    {
        if (Buffer is { Length: > 0 } buffer)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        Buffer = null;
    }
}
