using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;

namespace DistGrad.Distributed.DataPlane;

/// <summary>
/// One persistent TCP connection to one peer: framed sends through a <see cref="PipeWriter"/>, and a reader
/// loop that parses frames from a <see cref="PipeReader"/> and streams their bytes into the matching receives.
/// </summary>
internal sealed class TcpPeerConnection : IAsyncDisposable
{
    // Reads of up to 1 MiB per socket call keep the syscall count low for bulk transfers.
    private const int ReadBufferSize = 1 << 20;

    // Payloads up to this size are copied into the pipe behind their header and leave in one write; larger
    // ones are written from the caller's memory, where a copy would cost more than the extra small write.
    private const int InlinePayloadLimit = 64 * 1024;

    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly PipeReader _reader;
    private readonly PipeWriter _writer;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly int _rank;
    private readonly TimeSpan _timeout;
    private readonly int _maxMessageBytes;
    private readonly Task _readLoop;
    private CancellationTokenSource _sendDeadline = new();
    private volatile Exception? _broken;
    private volatile bool _disposing;

    /// <param name="socket">The connected socket (shut down when the connection breaks).</param>
    /// <param name="stream">The socket's bytes after the handshake: a <see cref="NetworkStream"/>, or TLS over one.</param>
    /// <param name="rank">This rank.</param>
    /// <param name="peer">The rank at the other end.</param>
    /// <param name="timeout">For each send.</param>
    /// <param name="maxMessageBytes">The largest message <paramref name="peer"/> may announce.</param>
    public TcpPeerConnection(Socket socket, Stream stream, int rank, int peer, TimeSpan timeout, int maxMessageBytes)
    {
        _socket = socket;
        _rank = rank;
        Peer = peer;
        _timeout = timeout;
        _maxMessageBytes = maxMessageBytes;
        Inbox = new PeerInbox(rank, peer, timeout);
        _stream = stream;
        _reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: ReadBufferSize, minimumReadSize: ReadBufferSize / 4, leaveOpen: true));
        _writer = PipeWriter.Create(_stream, new StreamPipeWriterOptions(minimumBufferSize: 64 * 1024, leaveOpen: true));
        _readLoop = Task.Run(ReadLoopAsync);
    }

    public int Peer { get; }

    public PeerInbox Inbox { get; }

    public async ValueTask SendAsync(long tag, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        if (_broken is { } broken)
        {
            throw TransportErrors.SendFailed(_rank, Peer, tag, broken);
        }

        if (!await _sendLock.WaitAsync(_timeout, cancellationToken).ConfigureAwait(false))
        {
            throw TransportErrors.SendTimeout(_rank, Peer, tag, _timeout);
        }

        try
        {
            _sendDeadline.CancelAfter(_timeout);
            using var link = cancellationToken.CanBeCanceled
                ? cancellationToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), _sendDeadline)
                : default;
            await WriteFramesAsync(tag, payload, _sendDeadline.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // A message cut off halfway leaves the byte stream unparseable, so the connection cannot carry on.
            Break(e);
            if (e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                throw TransportErrors.SendTimeout(_rank, Peer, tag, _timeout);
            }

            if (e is OperationCanceledException)
            {
                throw;
            }

            throw TransportErrors.SendFailed(_rank, Peer, tag, _broken ?? e);
        }
        finally
        {
            if (!_sendDeadline.TryReset())
            {
                _sendDeadline.Dispose();
                _sendDeadline = new CancellationTokenSource();
            }

            _sendLock.Release();
        }
    }

    private async ValueTask WriteFramesAsync(long tag, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        int offset = 0;
        do
        {
            int length = Math.Min(FrameHeader.MaxPayload, payload.Length - offset);
            var chunk = payload.Slice(offset, length);
            bool inline = length <= InlinePayloadLimit;
            var frame = _writer.GetSpan(FrameHeader.Size + (inline ? length : 0));
            new FrameHeader(tag, payload.Length, length).Write(frame);
            if (inline)
            {
                chunk.Span.CopyTo(frame[FrameHeader.Size..]);
            }

            _writer.Advance(FrameHeader.Size + (inline ? length : 0));
            var flushed = await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (flushed.IsCompleted || flushed.IsCanceled)
            {
                throw new IOException($"the connection to rank {Peer} is closed");
            }

            if (!inline)
            {
                // The pipe is flushed, so the stream is at a frame boundary: the payload goes from the caller's
                // memory straight to the socket, sparing a copy of every bulk byte.
                await _stream.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
            }

            offset += length;
        }
        while (offset < payload.Length);
    }

    private async Task ReadLoopAsync()
    {
        IncomingMessage? current = null;
        int frameRemaining = 0;
        Exception reason;
        try
        {
            while (true)
            {
                var result = await _reader.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                while (true)
                {
                    if (frameRemaining == 0)
                    {
                        if (buffer.Length < FrameHeader.Size)
                        {
                            break;
                        }

                        var header = FrameHeader.Read(buffer, _maxMessageBytes);
                        buffer = buffer.Slice(FrameHeader.Size);
                        current = StartFrame(current, header);
                        frameRemaining = header.FrameLength;
                    }

                    int take = (int)Math.Min(frameRemaining, buffer.Length);
                    foreach (var segment in buffer.Slice(0, take))
                    {
                        current!.Write(segment.Span);
                    }

                    buffer = buffer.Slice(take);
                    frameRemaining -= take;
                    if (frameRemaining == 0 && current!.IsComplete)
                    {
                        Inbox.Complete(current);
                        current = null;
                    }

                    if (buffer.IsEmpty)
                    {
                        break;
                    }
                }

                _reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    reason = new IOException(current is null && buffer.IsEmpty
                        ? $"rank {Peer} closed the connection"
                        : $"rank {Peer} closed the connection in the middle of a message");
                    break;
                }
            }
        }
        catch (Exception e)
        {
            reason = new IOException($"the connection to rank {Peer} failed: {e.Message}", e);
        }

        if (_disposing)
        {
            reason = new ObjectDisposedException(nameof(TcpTransport), $"rank {_rank}'s transport was disposed");
        }

        _broken ??= reason;
        Inbox.Close(_broken, current);
        await _reader.CompleteAsync().ConfigureAwait(false);
    }

    private IncomingMessage StartFrame(IncomingMessage? current, FrameHeader header)
    {
        if (current is null)
        {
            return Inbox.Begin(header.Tag, header.MessageLength);
        }

        if (header.Tag != current.Tag || current.Written + header.FrameLength > current.Length)
        {
            throw new InvalidDataException($"frame for tag {header.Tag} interrupts the message for tag {current.Tag}");
        }

        return current;
    }

    private void Break(Exception reason)
    {
        _broken ??= reason;
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already gone; closing is all that was wanted.
        }

        _socket.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposing)
        {
            return;
        }

        _disposing = true;
        Break(new ObjectDisposedException(nameof(TcpTransport), $"rank {_rank}'s transport was disposed"));
        await _readLoop.ConfigureAwait(false);
        if (await _sendLock.WaitAsync(_timeout).ConfigureAwait(false))
        {
            await _writer.CompleteAsync().ConfigureAwait(false);
        }

        Inbox.ReleaseArrived();
        await _stream.DisposeAsync().ConfigureAwait(false);
        _sendDeadline.Dispose();
    }
}
