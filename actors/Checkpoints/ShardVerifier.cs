using System.Buffers;

namespace DistGrad.Distributed.Checkpoints;

/// <summary>Checks a shard file against its manifest entry: present, of the recorded size, with the recorded checksum.</summary>
internal static class ShardVerifier
{
    private const int ChunkSize = 1 << 20;

    /// <summary>Why the file does not match (e.g. "rank-00001.safetensors truncated: 1234 of 5678 bytes"), or null when it does.</summary>
    public static string? Problem(string directory, ShardInfo shard)
    {
        var path = Path.Combine(directory, shard.File);
        try
        {
            // Unbuffered: every read is a whole chunk straight into the rented buffer.
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
            return SizeProblem(shard, file.Length) ?? ChecksumProblem(shard, Checksum(file));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return $"{shard.File} is missing";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"{shard.File} cannot be read: {e.Message}";
        }
    }

    /// <summary>The same checks over bytes already read.</summary>
    public static string? Problem(ShardInfo shard, ReadOnlySpan<byte> bytes) =>
        SizeProblem(shard, bytes.Length) ?? ChecksumProblem(shard, ShardChecksum.Of(bytes));

    private static string Checksum(FileStream file)
    {
        var hash = ShardChecksum.Create();
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            int read;
            while ((read = file.Read(buffer, 0, ChunkSize)) > 0)
            {
                hash.Append(buffer.AsSpan(0, read));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return ShardChecksum.Finish(hash);
    }

    private static string? SizeProblem(ShardInfo shard, long length) =>
        length < shard.Bytes ? $"{shard.File} truncated: {length} of {shard.Bytes} bytes"
        : length > shard.Bytes ? $"{shard.File} has {length} bytes, {length - shard.Bytes} more than the {shard.Bytes} recorded"
        : null;

    private static string? ChecksumProblem(ShardInfo shard, string actual) =>
        actual == shard.Checksum ? null : $"{shard.File} checksum mismatch (expected {shard.Checksum}, got {actual})";
}
