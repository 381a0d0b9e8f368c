using System.Buffers.Binary;
using System.Text.Json;
using DistGrad.Serialization;

namespace DistGrad.Distributed.Checkpoints;

/// <summary>Turns a verified shard's bytes back into a <see cref="WorkerCheckpoint"/>.</summary>
internal static class ShardReader
{
    public static WorkerCheckpoint Read(byte[] bytes, long step, string path)
    {
        IReadOnlyDictionary<string, Tensor> tensors;
        try
        {
            tensors = SafeTensors.Deserialize(bytes);
        }
        catch (InvalidDataException e)
        {
            // The checksum matched, so the writer itself produced this; still name the file.
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }

        var parameters = new Dictionary<string, Tensor>();
        var optimizerState = new Dictionary<string, Tensor>();
        foreach (var (name, tensor) in tensors)
        {
            if (name.StartsWith(CheckpointLayout.ParameterPrefix, StringComparison.Ordinal))
            {
                parameters[name[CheckpointLayout.ParameterPrefix.Length..]] = tensor;
            }
            else if (name.StartsWith(CheckpointLayout.OptimizerPrefix, StringComparison.Ordinal))
            {
                optimizerState[name[CheckpointLayout.OptimizerPrefix.Length..]] = tensor;
            }
            else
            {
                throw new InvalidDataException($"{path}: tensor \"{name}\" is neither \"{CheckpointLayout.ParameterPrefix}…\" nor \"{CheckpointLayout.OptimizerPrefix}…\"");
            }
        }

        return new WorkerCheckpoint(step, parameters, optimizerState, Metadata(bytes));
    }

    /// <summary>
    /// The header's <c>__metadata__</c>, read from the bytes already in hand (SafeTensors.DeserializeMetadata
    /// would decode every tensor a second time). Deserialize has checked the header by now.
    /// </summary>
    private static Dictionary<string, string> Metadata(byte[] bytes)
    {
        var length = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        using var header = JsonDocument.Parse(bytes.AsMemory(8, length));
        var metadata = new Dictionary<string, string>();
        if (header.RootElement.TryGetProperty("__metadata__", out var values))
        {
            foreach (var item in values.EnumerateObject())
            {
                metadata[item.Name] = item.Value.GetString()!;
            }
        }

        return metadata;
    }
}
