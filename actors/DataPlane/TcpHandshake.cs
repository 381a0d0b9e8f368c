using System.Buffers.Binary;
using System.Text;

namespace DistGrad.Distributed.DataPlane;

/// <summary>
/// The first bytes on a new connection. The connecting rank says which job it belongs to, who it is and whom
/// it meant to reach; the accepting rank checks all of it and answers yes, or no with the reason, so that a
/// worker of another job (or a stale one from a previous attempt) never gets wired into this job's mesh.
/// </summary>
internal static class TcpHandshake
{
    private const int Magic = 0x31544744; // "DGT1" in little-endian bytes
    private const int MaxJobIdBytes = 1024;
    private const int MaxReasonBytes = 4096;

    public readonly record struct Hello(int WorldSize, int FromRank, int ToRank, string JobId);

    public static async Task SendHelloAsync(Stream stream, Hello hello, CancellationToken cancellationToken)
    {
        byte[] job = Encoding.UTF8.GetBytes(hello.JobId);
        if (job.Length > MaxJobIdBytes)
        {
            throw new ArgumentException($"job id is longer than {MaxJobIdBytes} bytes", nameof(hello));
        }

        byte[] message = new byte[20 + job.Length];
        BinaryPrimitives.WriteInt32LittleEndian(message, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(4), hello.WorldSize);
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(8), hello.FromRank);
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(12), hello.ToRank);
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(16), job.Length);
        job.CopyTo(message.AsSpan(20));
        await stream.WriteAsync(message, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads a hello; throws <see cref="InvalidDataException"/> when the peer does not speak this protocol.</summary>
    public static async Task<Hello> ReadHelloAsync(Stream stream, CancellationToken cancellationToken)
    {
        byte[] fixedPart = new byte[20];
        await stream.ReadExactlyAsync(fixedPart, cancellationToken).ConfigureAwait(false);
        if (BinaryPrimitives.ReadInt32LittleEndian(fixedPart) != Magic)
        {
            throw new InvalidDataException("the connection does not speak the DistGrad data-plane protocol");
        }

        int jobLength = BinaryPrimitives.ReadInt32LittleEndian(fixedPart.AsSpan(16));
        if (jobLength is < 0 or > MaxJobIdBytes)
        {
            throw new InvalidDataException($"job id length {jobLength} is out of range");
        }

        byte[] job = new byte[jobLength];
        await stream.ReadExactlyAsync(job, cancellationToken).ConfigureAwait(false);
        return new Hello(
            BinaryPrimitives.ReadInt32LittleEndian(fixedPart.AsSpan(4)),
            BinaryPrimitives.ReadInt32LittleEndian(fixedPart.AsSpan(8)),
            BinaryPrimitives.ReadInt32LittleEndian(fixedPart.AsSpan(12)),
            Encoding.UTF8.GetString(job));
    }

    /// <summary>Null when <paramref name="hello"/> is what rank <paramref name="rank"/> of this job expects; otherwise why not.</summary>
    public static string? Validate(Hello hello, int rank, int worldSize, string jobId)
    {
        if (hello.JobId != jobId)
        {
            return $"job id mismatch: rank {rank} belongs to job '{jobId}', the connecting worker to job '{hello.JobId}'";
        }

        if (hello.WorldSize != worldSize)
        {
            return $"world size mismatch: rank {rank} expects {worldSize} workers, the connecting worker {hello.WorldSize}";
        }

        if (hello.ToRank != rank)
        {
            return $"the connecting worker wanted rank {hello.ToRank} but reached rank {rank}";
        }

        if (hello.FromRank <= rank || hello.FromRank >= worldSize)
        {
            return $"unexpected rank {hello.FromRank}: rank {rank} accepts connections only from ranks {rank + 1}..{worldSize - 1}";
        }

        return null;
    }

    public static async Task SendReplyAsync(Stream stream, string? rejection, CancellationToken cancellationToken)
    {
        byte[] reason = Encoding.UTF8.GetBytes(rejection ?? string.Empty);
        int length = Math.Min(reason.Length, MaxReasonBytes);
        byte[] message = new byte[5 + length];
        message[0] = rejection is null ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(1), length);
        reason.AsSpan(0, length).CopyTo(message.AsSpan(5));
        await stream.WriteAsync(message, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Null when the peer accepted; otherwise its reason.</summary>
    public static async Task<string?> ReadReplyAsync(Stream stream, CancellationToken cancellationToken)
    {
        byte[] fixedPart = new byte[5];
        await stream.ReadExactlyAsync(fixedPart, cancellationToken).ConfigureAwait(false);
        int length = BinaryPrimitives.ReadInt32LittleEndian(fixedPart.AsSpan(1));
        if (length is < 0 or > MaxReasonBytes)
        {
            throw new InvalidDataException($"handshake reply length {length} is out of range");
        }

        byte[] reason = new byte[length];
        await stream.ReadExactlyAsync(reason, cancellationToken).ConfigureAwait(false);
        return fixedPart[0] == 1 ? null : Encoding.UTF8.GetString(reason);
    }
}
