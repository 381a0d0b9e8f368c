using System.Buffers.Binary;

namespace DistGrad.Distributed.DataPlane;

/// <summary>
/// The socket as <see cref="System.Net.Security.SslStream"/> sees it during the data plane's TLS handshake: reads
/// stop at the end of each TLS record (5-byte header, then exactly its length), so SslStream never reads ahead into
/// the bytes that follow the handshake, which <see cref="AeadStream"/> reads. Writes pass straight through.
/// </summary>
internal sealed class TlsRecordExactStream(Stream inner) : Stream
{
    private const int HeaderSize = 5;
    private readonly byte[] _header = new byte[HeaderSize];
    private int _headerServed = HeaderSize;
    private int _bodyLeft;

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        if (_headerServed == HeaderSize && _bodyLeft == 0)
        {
            // The next record: its header says how many bytes belong to it.
            if (await inner.ReadAtLeastAsync(_header, HeaderSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false) < HeaderSize)
            {
                return 0;
            }

            _headerServed = 0;
            _bodyLeft = BinaryPrimitives.ReadUInt16BigEndian(_header.AsSpan(3));
        }

        if (_headerServed < HeaderSize)
        {
            var n = Math.Min(buffer.Length, HeaderSize - _headerServed);
            _header.AsMemory(_headerServed, n).CopyTo(buffer);
            _headerServed += n;
            return n;
        }

        var read = await inner.ReadAsync(buffer[..Math.Min(buffer.Length, _bodyLeft)], cancellationToken).ConfigureAwait(false);
        _bodyLeft -= read;
        return read;
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
