using System.Text.Encodings.Web;
using System.Text.Json;

namespace DistGrad.Distributed.Checkpoints;

/// <summary>
/// checkpoint.json: the step, the world size, the checksum algorithm, each rank's shard (file, checksum,
/// bytes) and the run's metadata. Written last, so its presence is what makes a step directory a checkpoint.
/// </summary>
internal static class CheckpointManifest
{
    // /1 recorded SHA-256 checksums as "sha256"; /2 records XxHash128 ones as "checksum".
    public const string Format = "distgrad-checkpoint/2";

    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = true };

    public static byte[] Serialize(long step, int worldSize, IReadOnlyList<ShardInfo> shards, IReadOnlyDictionary<string, string> metadata)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, JsonOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("format", Format);
            writer.WriteString("checksum_algorithm", ShardChecksum.Algorithm);
            writer.WriteNumber("step", step);
            writer.WriteNumber("world_size", worldSize);
            writer.WriteStartArray("shards");
            foreach (var shard in shards.OrderBy(s => s.Rank))
            {
                writer.WriteStartObject();
                writer.WriteNumber("rank", shard.Rank);
                writer.WriteString("file", shard.File);
                writer.WriteString("checksum", shard.Checksum);
                writer.WriteNumber("bytes", shard.Bytes);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartObject("metadata");
            foreach (var (key, value) in metadata)
            {
                writer.WriteString(key, value);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>The checkpoint a manifest describes; <see cref="InvalidDataException"/> saying what is wrong with it otherwise.</summary>
    public static CheckpointInfo Parse(ReadOnlyMemory<byte> json, string directory)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"expected a JSON object, got {root.ValueKind}");
            }

            if (String(root, "format") != Format)
            {
                throw new InvalidDataException($"unknown format \"{String(root, "format")}\" (expected \"{Format}\")");
            }

            if (String(root, "checksum_algorithm") != ShardChecksum.Algorithm)
            {
                throw new InvalidDataException($"unknown checksum algorithm \"{String(root, "checksum_algorithm")}\" (expected \"{ShardChecksum.Algorithm}\")");
            }

            var step = Property(root, "step").GetInt64();
            var worldSize = Property(root, "world_size").GetInt32();
            var shards = Property(root, "shards").EnumerateArray()
                .Select(s => new ShardInfo(Property(s, "rank").GetInt32(), String(s, "file"), String(s, "checksum"), Property(s, "bytes").GetInt64()))
                .ToList();
            var metadata = Property(root, "metadata").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? throw new InvalidDataException($"metadata \"{p.Name}\" is null"));
            CheckShards(worldSize, shards);
            return new CheckpointInfo(step, directory, worldSize, shards, metadata);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or KeyNotFoundException or ArgumentException)
        {
            // GetInt64 on a string, EnumerateArray on a number and the like: all mean a damaged manifest.
            throw new InvalidDataException(e.Message, e);
        }
    }

    /// <summary>One shard per rank 0..worldSize-1, each a plain file name inside the step directory.</summary>
    public static void CheckShards(int worldSize, IReadOnlyList<ShardInfo> shards)
    {
        if (worldSize < 1)
        {
            throw new ArgumentException($"the world size must be at least 1, got {worldSize}");
        }

        var ranks = shards.Select(s => s.Rank).Order().ToList();
        if (!ranks.SequenceEqual(Enumerable.Range(0, worldSize)))
        {
            throw new ArgumentException($"a checkpoint of world size {worldSize} needs one shard for each rank 0..{worldSize - 1}, got ranks [{string.Join(", ", ranks)}]");
        }

        foreach (var shard in shards)
        {
            // A manifest names files beside it; a path could point a reader anywhere on the machine.
            if (string.IsNullOrEmpty(shard.File) || shard.File != Path.GetFileName(shard.File) || shard.File is "." or "..")
            {
                throw new ArgumentException($"rank {shard.Rank}'s shard file \"{shard.File}\" must be a file name within the step directory");
            }

            if (!ShardChecksum.IsWellFormed(shard.Checksum))
            {
                throw new ArgumentException($"rank {shard.Rank}'s checksum \"{shard.Checksum}\" is not {ShardChecksum.HexLength} lowercase hex digits");
            }

            if (shard.Bytes < 0)
            {
                throw new ArgumentException($"rank {shard.Rank}'s shard size {shard.Bytes} is negative");
            }
        }
    }

    private static JsonElement Property(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value : throw new InvalidDataException($"missing \"{name}\"");

    private static string String(JsonElement element, string name) =>
        Property(element, name).GetString() ?? throw new InvalidDataException($"\"{name}\" is null");
}
