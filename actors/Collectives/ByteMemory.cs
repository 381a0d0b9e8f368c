using System.Buffers;
using System.Runtime.InteropServices;

namespace DistGrad.Distributed.Collectives;

/// <summary>
/// Views a <see cref="Memory{T}"/> of numbers as the bytes the transport moves, without copying:
/// <see cref="MemoryMarshal.AsBytes{T}(Span{T})"/> exists for spans only, and transports take memory.
/// </summary>
internal sealed class ByteMemory<T> : MemoryManager<byte>
    where T : unmanaged
{
    private readonly Memory<T> _source;

    private ByteMemory(Memory<T> source) => _source = source;

    public static Memory<byte> Of(Memory<T> source) => new ByteMemory<T>(source).Memory;

    public override Span<byte> GetSpan() => MemoryMarshal.AsBytes(_source.Span);

    public override unsafe MemoryHandle Pin(int elementIndex = 0)
    {
        var inner = _source.Pin();
        return new MemoryHandle((byte*)inner.Pointer + elementIndex, default, new Unpinner(inner));
    }

    public override void Unpin()
    {
        // Each pin hands out its own Unpinner, which releases the pin of the source memory.
    }

    protected override void Dispose(bool disposing)
    {
    }

    private sealed class Unpinner(MemoryHandle inner) : IPinnable
    {
        private MemoryHandle _inner = inner;

        public MemoryHandle Pin(int elementIndex) => throw new NotSupportedException();

        public void Unpin() => _inner.Dispose();
    }
}
