using System.Security.Cryptography;

namespace DistGrad.Actors.Checkpoints;

/// <summary>Checks a shard file against its manifest entry: present, of the recorded size, with the recorded SHA-256.</summary>
internal static class ShardVerifier
{
    private const int BufferSize = 1 << 20;

    /// <summary>Why the file does not match (e.g. "rank-00001.safetensors truncated: 1234 of 5678 bytes"), or null when it does.</summary>
    public static string? Problem(string directory, ShardInfo shard)
    {
        var path = Path.Combine(directory, shard.File);
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.SequentialScan);
            return SizeProblem(shard, file.Length) ?? HashProblem(shard, SHA256.HashData(file));
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
        SizeProblem(shard, bytes.Length) ?? HashProblem(shard, SHA256.HashData(bytes));

    private static string? SizeProblem(ShardInfo shard, long length) =>
        length < shard.Bytes ? $"{shard.File} truncated: {length} of {shard.Bytes} bytes"
        : length > shard.Bytes ? $"{shard.File} has {length} bytes, {length - shard.Bytes} more than the {shard.Bytes} recorded"
        : null;

    private static string? HashProblem(ShardInfo shard, byte[] hash)
    {
        var actual = Convert.ToHexStringLower(hash);
        return actual == shard.Sha256 ? null : $"{shard.File} checksum mismatch (expected {shard.Sha256}, got {actual})";
    }
}
