using System.Buffers.Binary;
using System.IO.Compression;

namespace DistGrad.Tests.Data;

/// <summary>Builds IDX files byte by byte, independently of the reader under test.</summary>
internal static class IdxBytes
{
    /// <summary>Magic 00 00 type ndims, big-endian sizes, then the given element bytes.</summary>
    public static byte[] Make(byte type, int[] dims, byte[] data)
    {
        var bytes = new byte[4 + (4 * dims.Length) + data.Length];
        bytes[2] = type;
        bytes[3] = (byte)dims.Length;
        for (var i = 0; i < dims.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + (4 * i)), dims[i]);
        }

        data.CopyTo(bytes, 4 + (4 * dims.Length));
        return bytes;
    }

    public static byte[] UBytes(int[] dims, Func<int, byte> value)
    {
        var count = dims.Aggregate(1, (a, b) => a * b);
        return Make(0x08, dims, Enumerable.Range(0, count).Select(value).ToArray());
    }

    public static byte[] Gzip(byte[] raw)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal))
        {
            gzip.Write(raw);
        }

        return output.ToArray();
    }
}
