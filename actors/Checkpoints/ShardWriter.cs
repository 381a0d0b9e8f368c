using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using DistGrad.Serialization;

namespace DistGrad.Distributed.Checkpoints;

/// <summary>
/// Streams tensors into a safetensors file straight from their memory, checksumming each chunk just
/// before it is written, so a shard costs about one pass over its bytes: no whole-file buffer (as
/// <see cref="SafeTensors.Serialize"/> builds) and no re-read for the checksum.
/// </summary>
internal static class ShardWriter
{
    // Writes larger than the buffer bypass it; the buffer only gathers the header and small tensors.
    private const int BufferSize = 1 << 20;

    // Checksummed then written a chunk at a time, so the write reads bytes the checksum has just brought
    // into the cache. On this thread: XxHash128 adds ~5 ms per 100 MB to a ~20 ms write; a second hashing
    // thread saved about that on 2 cores, but takes a core from training that goes on meanwhile.
    private const int ChunkSize = 1 << 20;

    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Writes the file and returns its checksum (<see cref="ShardChecksum"/>) and length. The file is
    /// flushed to the operating system but not fsynced: see the comment at the flush.
    /// </summary>
    /// <param name="path">The shard file to write.</param>
    /// <param name="tensors">Contiguous CPU tensors (see <see cref="Prepare"/>).</param>
    /// <param name="metadata">String pairs stored in the safetensors header.</param>
    public static (string Checksum, long Bytes) Write(string path, IReadOnlyList<(string Name, Tensor Tensor)> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        if (!BitConverter.IsLittleEndian)
        {
            // The format is little-endian; the core serializer swaps bytes, at the cost of a whole-file copy.
            var bytes = SafeTensors.Serialize(tensors.ToDictionary(t => t.Name, t => t.Tensor), metadata);
            using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize))
            {
                file.Write(bytes);
            }

            return (ShardChecksum.Of(bytes), bytes.Length);
        }

        var header = Header(tensors, metadata);
        var total = header.Length + tensors.Sum(t => (long)ByteCount(t.Tensor));
        var hash = ShardChecksum.Create();
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            BufferSize = BufferSize,
            PreallocationSize = total,
        };
        using (var file = new FileStream(path, options))
        {
            hash.Append(header);
            file.Write(header);
            foreach (var (_, tensor) in tensors)
            {
                var bytes = BytesOf(tensor);
                for (var at = 0; at < bytes.Length; at += ChunkSize)
                {
                    var chunk = bytes.Slice(at, Math.Min(ChunkSize, bytes.Length - at));
                    hash.Append(chunk);
                    file.Write(chunk);
                }
            }

            // A plain flush, no fsync (Flush(true) cost as much as writing the file twice). The rename that
            // follows makes the shard whole or absent against a killed process: its pages are in the page
            // cache, which outlives the process. A machine crash can lose pages not yet written back; the
            // checksum then fails and LatestValid falls back to the previous checkpoint.
            file.Flush();
        }

        return (ShardChecksum.Finish(hash), total);
    }

    /// <summary>A tensor the writer can take as it is: detached, on the CPU, contiguous (a copy only when it is not).</summary>
    public static Tensor Prepare(Tensor tensor)
    {
        var cpu = tensor.Detach().To(Device.Cpu);
        return cpu.IsContiguous ? cpu : cpu.Detach().Contiguous();
    }

    /// <summary>The 8-byte length, the JSON header (metadata first, then the tensors in order), padded with spaces to 8 bytes.</summary>
    private static byte[] Header(IReadOnlyList<(string Name, Tensor Tensor)> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        var json = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(json, JsonOptions))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("__metadata__");
            foreach (var (key, value) in metadata)
            {
                writer.WriteString(key, value);
            }

            writer.WriteEndObject();
            long offset = 0;
            foreach (var (name, tensor) in tensors)
            {
                writer.WriteStartObject(name);
                writer.WriteString("dtype", DTypeName(tensor.DType));
                writer.WriteStartArray("shape");
                foreach (var size in tensor.Shape)
                {
                    writer.WriteNumberValue(size);
                }

                writer.WriteEndArray();
                var end = offset + ByteCount(tensor);
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(offset);
                writer.WriteNumberValue(end);
                writer.WriteEndArray();
                writer.WriteEndObject();
                offset = end;
            }

            writer.WriteEndObject();
        }

        var padded = (json.WrittenCount + 7) / 8 * 8;
        var header = new byte[8 + padded];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)padded);
        json.WrittenSpan.CopyTo(header.AsSpan(8));
        header.AsSpan(8 + json.WrittenCount).Fill((byte)' ');
        return header;
    }

    private static string DTypeName(DType dtype) => dtype switch
    {
        DType.Float32 => "F32",
        DType.Float64 => "F64",
        DType.Int64 => "I64",
        DType.Bool => "BOOL",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "safetensors shards hold F32, F64, I64 and BOOL"),
    };

    private static int ByteCount(Tensor tensor) => tensor.Numel * tensor.DType.ElementSize();

    /// <summary>The tensor's memory as bytes (a bool is one byte, 0 or 1, as the format stores it).</summary>
    private static ReadOnlySpan<byte> BytesOf(Tensor tensor) => tensor.DType switch
    {
        DType.Float32 => MemoryMarshal.AsBytes(TensorMemory.Span<float>(tensor)),
        DType.Float64 => MemoryMarshal.AsBytes(TensorMemory.Span<double>(tensor)),
        DType.Int64 => MemoryMarshal.AsBytes(TensorMemory.Span<long>(tensor)),
        DType.Bool => MemoryMarshal.AsBytes(TensorMemory.Span<bool>(tensor)),
        _ => throw new ArgumentOutOfRangeException(nameof(tensor), tensor.DType, "safetensors shards hold F32, F64, I64 and BOOL"),
    };
}
