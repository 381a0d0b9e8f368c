using System.Buffers;
using System.Buffers.Binary;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace DistGrad.Serialization;

/// <summary>
/// Lays tensors out as a safetensors file: the header lists <c>__metadata__</c> first and then the
/// tensors in the dictionary's order, each tensor's data follows the previous one's, and the header is
/// padded with spaces so the data starts on an 8-byte boundary.
/// </summary>
internal static class SafeTensorsWriter
{
    // Names are written as they are (UTF-8), not \u-escaped: other readers compare the raw strings.
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Serialize(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var payloads = new List<byte[]>(tensors.Count);
        var json = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(json, JsonOptions))
        {
            writer.WriteStartObject();
            if (metadata != null)
            {
                writer.WriteStartObject(SafeTensorsHeader.MetadataKey);
                foreach (var (key, value) in metadata)
                {
                    writer.WriteString(key, value ?? throw new ArgumentException($"metadata \"{key}\" is null; safetensors metadata values are strings", nameof(metadata)));
                }

                writer.WriteEndObject();
            }

            long offset = 0;
            foreach (var (name, tensor) in tensors)
            {
                if (name == SafeTensorsHeader.MetadataKey)
                {
                    throw new ArgumentException($"\"{SafeTensorsHeader.MetadataKey}\" is reserved for metadata and cannot name a tensor", nameof(tensors));
                }

                if (tensor == null)
                {
                    throw new ArgumentException($"tensor \"{name}\" is null", nameof(tensors));
                }

                // ToArray gives row-major elements of any view, so strided tensors are written contiguous.
                var bytes = TensorBytes.Of(tensor);
                payloads.Add(bytes);
                writer.WriteStartObject(name);
                writer.WriteString("dtype", SafeTensorsDTypes.Name(tensor.DType));
                writer.WriteStartArray("shape");
                foreach (var size in tensor.ShapeRef)
                {
                    writer.WriteNumberValue(size);
                }

                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(offset);
                writer.WriteNumberValue(offset + bytes.Length);
                writer.WriteEndArray();
                writer.WriteEndObject();
                offset += bytes.Length;
            }

            writer.WriteEndObject();
        }

        var headerLength = (json.WrittenCount + 7) / 8 * 8;
        var total = 8L + headerLength + payloads.Sum(p => (long)p.Length);
        if (total > Array.MaxLength)
        {
            throw new ArgumentException($"the tensors need {total} bytes, more than one array can hold", nameof(tensors));
        }

        var file = new byte[total];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)headerLength);
        json.WrittenSpan.CopyTo(file.AsSpan(8));
        file.AsSpan(8 + json.WrittenCount, headerLength - json.WrittenCount).Fill((byte)' ');
        var position = 8 + headerLength;
        foreach (var payload in payloads)
        {
            payload.CopyTo(file, position);
            position += payload.Length;
        }

        return file;
    }
}
