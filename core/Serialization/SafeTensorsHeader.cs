using System.Text.Json;

namespace DistGrad.Serialization;

/// <summary>
/// Parses and checks a safetensors header the way the reference implementation does: the JSON must
/// describe each tensor once, with a known dtype and a byte range that matches its shape, and the
/// ranges together must tile the data section exactly — no overlaps, no holes, nothing out of range.
/// </summary>
internal static class SafeTensorsHeader
{
    public const string MetadataKey = "__metadata__";

    /// <summary>The reference implementation's limit, which keeps a corrupt length from allocating gigabytes.</summary>
    public const long MaxHeaderSize = 100_000_000;

    /// <summary>Reads the 8-byte length prefix; checks it against the limit and the bytes available.</summary>
    public static int Length(ReadOnlySpan<byte> prefix, long fileLength, string source)
    {
        if (fileLength < 8)
        {
            throw Error(source, $"truncated safetensors file: {fileLength} bytes, shorter than the 8-byte header length");
        }

        var length = BitConverter.ToUInt64(prefix[..8]);
        if (!BitConverter.IsLittleEndian)
        {
            length = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(length);
        }

        if (length > MaxHeaderSize)
        {
            throw Error(source, $"safetensors header too large: {length} bytes (at most {MaxHeaderSize})");
        }

        if ((long)length > fileLength - 8)
        {
            throw Error(source, $"truncated safetensors file: the header length is {length} bytes but only {fileLength - 8} follow");
        }

        return (int)length;
    }

    /// <summary>The tensors in data order (by offset; header order among equals) and the metadata.</summary>
    public static (List<SafeTensorsEntry> Entries, Dictionary<string, string> Metadata) Parse(ReadOnlyMemory<byte> json, long dataLength, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw Error(source, $"the safetensors header is not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Error(source, $"the safetensors header must be a JSON object, not {document.RootElement.ValueKind}");
            }

            var entries = new List<SafeTensorsEntry>();
            var metadata = new Dictionary<string, string>();
            var seen = new HashSet<string>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                {
                    throw Error(source, $"the safetensors header names \"{property.Name}\" twice");
                }

                if (property.Name == MetadataKey)
                {
                    ReadMetadata(property.Value, metadata, source);
                }
                else
                {
                    entries.Add(ReadEntry(property.Name, property.Value, dataLength, source));
                }
            }

            CheckTiling(entries, dataLength, source);
            return (entries, metadata);
        }
    }

    public static InvalidDataException Error(string source, string message, Exception? inner = null) =>
        new($"{source}: {message}", inner);

    private static void ReadMetadata(JsonElement value, Dictionary<string, string> metadata, string source)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Error(source, $"{MetadataKey} must be an object of strings, not {value.ValueKind}");
        }

        foreach (var item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
            {
                throw Error(source, $"{MetadataKey} value \"{item.Name}\" must be a string, not {item.Value.ValueKind}");
            }

            metadata[item.Name] = item.Value.GetString()!;
        }
    }

    private static SafeTensorsEntry ReadEntry(string name, JsonElement value, long dataLength, string source)
    {
        string Where(string what) => $"tensor \"{name}\": {what}";
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Error(source, Where($"expected an object with dtype, shape and data_offsets, got {value.ValueKind}"));
        }

        if (!value.TryGetProperty("dtype", out var dtypeJson) || dtypeJson.ValueKind != JsonValueKind.String)
        {
            throw Error(source, Where("missing a string \"dtype\""));
        }

        var (dtype, dtypeError) = SafeTensorsDTypes.Parse(dtypeJson.GetString()!);
        if (dtype is not { } type)
        {
            throw Error(source, Where(dtypeError!));
        }

        var shape = Integers(value, "shape", null, Where, source);
        var offsets = Integers(value, "data_offsets", 2, Where, source);
        long numel = 1;
        var dims = new int[shape.Length];
        for (var i = 0; i < shape.Length; i++)
        {
            if (shape[i] > int.MaxValue || (numel *= shape[i]) > int.MaxValue)
            {
                throw Error(source, Where($"shape [{string.Join(", ", shape)}] has more elements than a DistGrad tensor can hold"));
            }

            dims[i] = (int)shape[i];
        }

        var (begin, end) = (offsets[0], offsets[1]);
        if (begin > end || end > dataLength)
        {
            throw Error(source, Where($"data_offsets [{begin}, {end}] are out of range: the data section has {dataLength} bytes" + (end > dataLength ? " (is the file truncated?)" : "")));
        }

        var expected = numel * type.ElementSize();
        if (end - begin != expected)
        {
            throw Error(source, Where($"data_offsets [{begin}, {end}] span {end - begin} bytes, but shape {Shapes.Format(dims)} of {SafeTensorsDTypes.Name(type)} needs {expected}"));
        }

        return new SafeTensorsEntry(name, type, dims, begin, end);
    }

    private static long[] Integers(JsonElement value, string key, int? count, Func<string, string> where, string source)
    {
        if (!value.TryGetProperty(key, out var array) || array.ValueKind != JsonValueKind.Array)
        {
            throw Error(source, where($"missing an array \"{key}\""));
        }

        var result = new List<long>();
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out var n) || n < 0)
            {
                throw Error(source, where($"\"{key}\" must hold non-negative integers, found {item.GetRawText()}"));
            }

            result.Add(n);
        }

        if (count is { } c && result.Count != c)
        {
            throw Error(source, where($"\"{key}\" must hold {c} integers, found {result.Count}"));
        }

        return result.ToArray();
    }

    /// <summary>Sorts by offset and requires the ranges to cover [0, dataLength) once, as the reference reader does.</summary>
    private static void CheckTiling(List<SafeTensorsEntry> entries, long dataLength, string source)
    {
        // List.Sort is unstable; ordering by (offset, header position) keeps zero-size tensors in header order.
        var order = entries.Select((e, i) => (Entry: e, Index: i)).OrderBy(p => p.Entry.Begin).ThenBy(p => p.Entry.End).ThenBy(p => p.Index).Select(p => p.Entry).ToList();
        entries.Clear();
        entries.AddRange(order);

        long covered = 0;
        SafeTensorsEntry? previous = null;
        foreach (var entry in entries)
        {
            if (entry.Begin < covered)
            {
                throw Error(source, $"tensors \"{previous!.Name}\" [{previous.Begin}, {previous.End}] and \"{entry.Name}\" [{entry.Begin}, {entry.End}] have overlapping data_offsets");
            }

            if (entry.Begin > covered)
            {
                throw Error(source, $"bytes [{covered}, {entry.Begin}) of the data belong to no tensor (a hole before \"{entry.Name}\")");
            }

            covered = entry.End;
            previous = entry;
        }

        if (covered != dataLength)
        {
            throw Error(source, $"bytes [{covered}, {dataLength}) at the end of the data belong to no tensor");
        }
    }
}
