namespace DistGrad.Serialization;

/// <summary>
/// Reads and writes the safetensors format (Hugging Face): an 8-byte little-endian header length N,
/// N bytes of UTF-8 JSON <c>{"name": {"dtype", "shape", "data_offsets"}, ..., "__metadata__": {...}}</c>
/// padded with spaces to a multiple of 8, then the tensors' raw little-endian bytes. DistGrad reads and
/// writes F32, F64, I64 and BOOL. A malformed file throws <see cref="InvalidDataException"/> whose
/// message starts with the file's path.
/// </summary>
public static class SafeTensors
{
    private const string InMemory = "safetensors data";

    /// <summary>
    /// Writes <paramref name="tensors"/> in the dictionary's order, with optional string metadata.
    /// The file is written beside the target and moved over it, so a crash never leaves half a file.
    /// </summary>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var bytes = Serialize(tensors, metadata);
        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, bytes);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The file's tensors, in the order of their data (for a file from <see cref="Save"/>, the order saved).</summary>
    public static IReadOnlyDictionary<string, Tensor> Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Read(File.ReadAllBytes(path), path).Tensors;
    }

    /// <summary>The file's <c>__metadata__</c> (empty without one); reads only the header, after checking it.</summary>
    public static IReadOnlyDictionary<string, string> LoadMetadata(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var file = File.OpenRead(path);
        var prefix = new byte[8];
        var got = file.ReadAtLeast(prefix, 8, throwOnEndOfStream: false);
        var length = SafeTensorsHeader.Length(prefix, got < 8 ? got : file.Length, path);
        var json = new byte[length];
        file.ReadExactly(json);
        return SafeTensorsHeader.Parse(json, file.Length - 8 - length, path).Metadata;
    }

    /// <summary>The bytes <see cref="Save"/> would write.</summary>
    public static byte[] Serialize(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null) =>
        SafeTensorsWriter.Serialize(tensors, metadata);

    /// <summary>The tensors of safetensors bytes, in the order of their data.</summary>
    public static IReadOnlyDictionary<string, Tensor> Deserialize(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Read(data, InMemory).Tensors;
    }

    /// <summary>The <c>__metadata__</c> of safetensors bytes (empty without one).</summary>
    public static IReadOnlyDictionary<string, string> DeserializeMetadata(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Read(data, InMemory).Metadata;
    }

    private static (OrderedDictionary<string, Tensor> Tensors, Dictionary<string, string> Metadata) Read(byte[] data, string source)
    {
        var length = SafeTensorsHeader.Length(data, data.Length, source);
        var dataStart = 8 + length;
        var (entries, metadata) = SafeTensorsHeader.Parse(data.AsMemory(8, length), data.Length - dataStart, source);
        var tensors = new OrderedDictionary<string, Tensor>(entries.Count);
        foreach (var entry in entries)
        {
            var bytes = data.AsSpan(dataStart + (int)entry.Begin, (int)(entry.End - entry.Begin));
            tensors.Add(entry.Name, TensorBytes.ToTensor(bytes, entry.DType, entry.Shape));
        }

        return (tensors, metadata);
    }
}
