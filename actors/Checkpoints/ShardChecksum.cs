using System.IO.Hashing;

namespace DistGrad.Distributed.Checkpoints;

/// <summary>
/// The checksum recorded for each shard: XxHash128, as 32 lowercase hex digits. It is not cryptographic,
/// and need not be: it guards against accidents (bit rot, a truncated or partly written file, pages a
/// machine crash never wrote back), not against an attacker who could rewrite a shard and its manifest
/// alike. It runs at about memory speed, where SHA-256 alone took as long as writing the file twice.
/// </summary>
internal static class ShardChecksum
{
    /// <summary>The name checkpoint.json records as "checksum_algorithm".</summary>
    public const string Algorithm = "xxhash128";

    public const int HexLength = 32;

    public static XxHash128 Create() => new();

    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(XxHash128.Hash(bytes));

    public static string Finish(XxHash128 hash) => Convert.ToHexStringLower(hash.GetHashAndReset());

    public static bool IsWellFormed(string? checksum) =>
        checksum is { Length: HexLength } && checksum.AsSpan().IndexOfAnyExcept("0123456789abcdef") < 0;
}
