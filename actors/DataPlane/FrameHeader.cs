using System.Buffers;
using System.Buffers.Binary;

namespace DistGrad.Distributed.DataPlane;

/// <summary>
/// The 16 bytes in front of every TCP frame: the message's tag, the whole message's length and this frame's
/// length. A message longer than <see cref="MaxPayload"/> travels as consecutive frames, so a huge send never
/// needs a huge contiguous pipe buffer and the receiver can start consuming the first bytes early.
/// </summary>
internal readonly record struct FrameHeader(long Tag, int MessageLength, int FrameLength)
{
    public const int Size = 16;

    /// <summary>Header plus payload fill exactly 1 MiB, one pooled buffer, one socket write.</summary>
    public const int MaxPayload = (1 << 20) - Size;

    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteInt64LittleEndian(destination, Tag);
        BinaryPrimitives.WriteInt32LittleEndian(destination[8..], MessageLength);
        BinaryPrimitives.WriteInt32LittleEndian(destination[12..], FrameLength);
    }

    /// <summary>Parses a header; throws <see cref="InvalidDataException"/> for one that is malformed or announces a message over <paramref name="maxMessageBytes"/>.</summary>
    public static FrameHeader Read(ReadOnlySequence<byte> source, int maxMessageBytes)
    {
        Span<byte> bytes = stackalloc byte[Size];
        source.Slice(0, Size).CopyTo(bytes);
        var header = new FrameHeader(
            BinaryPrimitives.ReadInt64LittleEndian(bytes),
            BinaryPrimitives.ReadInt32LittleEndian(bytes[8..]),
            BinaryPrimitives.ReadInt32LittleEndian(bytes[12..]));
        if (header.MessageLength < 0 || header.FrameLength < 0 || header.FrameLength > MaxPayload || header.FrameLength > header.MessageLength)
        {
            throw new InvalidDataException($"malformed frame header: tag {header.Tag}, message {header.MessageLength} bytes, frame {header.FrameLength} bytes");
        }

        if (header.MessageLength > maxMessageBytes)
        {
            throw new InvalidDataException($"a frame of tag {header.Tag} announces a message of {header.MessageLength} bytes, over this job's cap of {maxMessageBytes} bytes");
        }

        return header;
    }
}
