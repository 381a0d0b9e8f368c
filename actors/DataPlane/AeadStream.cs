using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace DistGrad.Distributed.DataPlane;

/// <summary>
/// A data-plane connection's bytes after its TLS handshake: records of at most <see cref="MaxRecord"/> bytes, each
/// AES-256-GCM sealed under a key of this connection and direction with a nonce that counts the records, so a
/// changed, cut, replayed or reordered record fails its tag and breaks the connection. Bulk tensors are sealed a
/// quarter mebibyte at a time in one call each, at the speed of the cipher: TLS's own 16 KB records cost SslStream
/// more per byte than the encryption itself.
/// </summary>
/// <remarks>Record: 4-byte big-endian plaintext length (authenticated, not encrypted), ciphertext, 16-byte tag.</remarks>
internal sealed class AeadStream : Stream
{
    /// <summary>The largest plaintext of one record; a header above it drops the connection before anything is rented.</summary>
    public const int MaxRecord = 256 * 1024;

    private const int LengthSize = 4;
    private const int TagSize = 16;
    private const int NonceSize = 12;

    private readonly Stream _inner;
    private readonly AesGcm _seal;
    private readonly AesGcm _open;
    private readonly byte[] _lengthBytes = new byte[LengthSize];
    private readonly byte[] _tag = new byte[TagSize];
    private ulong _sent;
    private ulong _received;
    private byte[]? _pending;
    private int _pendingStart;
    private int _pendingEnd;

    /// <param name="inner">The socket's stream, at the first byte after the key exchange.</param>
    /// <param name="sendKey">32 bytes: this end's records.</param>
    /// <param name="receiveKey">32 bytes: the other end's records.</param>
    public AeadStream(Stream inner, ReadOnlySpan<byte> sendKey, ReadOnlySpan<byte> receiveKey)
    {
        _inner = inner;
        _seal = new AesGcm(sendKey, TagSize);
        _open = new AesGcm(receiveKey, TagSize);
    }

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!buffer.IsEmpty)
        {
            var length = Math.Min(buffer.Length, MaxRecord);
            var record = ArrayPool<byte>.Shared.Rent(LengthSize + length + TagSize);
            try
            {
                Seal(buffer.Span[..length], record);
                await _inner.WriteAsync(record.AsMemory(0, LengthSize + length + TagSize), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(record);
            }

            buffer = buffer[length..];
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        if (_pending != null)
        {
            return ServePending(buffer.Span);
        }

        if (await _inner.ReadAtLeastAsync(_lengthBytes, LengthSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false) < LengthSize)
        {
            return 0;
        }

        var length = BinaryPrimitives.ReadInt32BigEndian(_lengthBytes);
        if (length is <= 0 or > MaxRecord)
        {
            throw new IOException($"a data-plane record announced {length} bytes (at most {MaxRecord}): not a DistGrad peer, or a corrupted stream");
        }

        var ciphertext = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            await _inner.ReadExactlyAsync(ciphertext.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
            await _inner.ReadExactlyAsync(_tag, cancellationToken).ConfigureAwait(false);
            if (buffer.Length >= length)
            {
                Open(ciphertext.AsSpan(0, length), buffer.Span[..length]);
                return length;
            }

            // The caller's buffer is smaller than the record: open it into a buffer of its own and serve it in parts.
            var plaintext = ArrayPool<byte>.Shared.Rent(length);
            Open(ciphertext.AsSpan(0, length), plaintext.AsSpan(0, length));
            (_pending, _pendingStart, _pendingEnd) = (plaintext, 0, length);
            return ServePending(buffer.Span);
        }
        catch (EndOfStreamException e)
        {
            throw new IOException("the data-plane connection ended inside a record", e);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(ciphertext);
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override void Flush() => _inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _seal.Dispose();
            _open.Dispose();
            _inner.Dispose();
            if (_pending is { } pending)
            {
                ArrayPool<byte>.Shared.Return(pending);
                _pending = null;
            }
        }

        base.Dispose(disposing);
    }

    private void Seal(ReadOnlySpan<byte> plaintext, Span<byte> record)
    {
        BinaryPrimitives.WriteInt32BigEndian(record, plaintext.Length);
        Span<byte> nonce = stackalloc byte[NonceSize];
        BinaryPrimitives.WriteUInt64BigEndian(nonce[4..], _sent++);
        _seal.Encrypt(nonce, plaintext, record.Slice(LengthSize, plaintext.Length), record.Slice(LengthSize + plaintext.Length, TagSize), record[..LengthSize]);
    }

    private void Open(ReadOnlySpan<byte> ciphertext, Span<byte> plaintext)
    {
        Span<byte> nonce = stackalloc byte[NonceSize];
        BinaryPrimitives.WriteUInt64BigEndian(nonce[4..], _received++);
        try
        {
            _open.Decrypt(nonce, ciphertext, _tag, plaintext, _lengthBytes);
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new IOException($"data-plane record {_received - 1} failed its authentication tag: changed, replayed or out of order on the way", e);
        }
    }

    private int ServePending(Span<byte> destination)
    {
        var n = Math.Min(destination.Length, _pendingEnd - _pendingStart);
        _pending!.AsSpan(_pendingStart, n).CopyTo(destination);
        _pendingStart += n;
        if (_pendingStart == _pendingEnd)
        {
            ArrayPool<byte>.Shared.Return(_pending!);
            _pending = null;
        }

        return n;
    }
}
