using System.Buffers.Binary;
using System.IO.Compression;

namespace DistGrad.Data;

/// <summary>
/// The parsed contents of one IDX file (the MNIST format): a 4-byte magic number <c>00 00 TT DD</c>
/// (TT the element type, DD the number of dimensions), DD big-endian 32-bit sizes, then the elements in
/// row-major order, big-endian. Gzip-compressed files are recognised by their own magic bytes.
/// </summary>
internal sealed class IdxFile
{
    private IdxFile(string path, IdxElement element, int[] dims, byte[] data)
    {
        Path = path;
        Element = element;
        Dims = dims;
        Data = data;
    }

    public string Path { get; }

    public IdxElement Element { get; }

    public int[] Dims { get; }

    /// <summary>The raw big-endian element bytes.</summary>
    public byte[] Data { get; }

    public int Count => Data.Length / Element.Size();

    public static IdxFile Read(string path)
    {
        using var file = File.OpenRead(path);
        using var stream = IsGzip(file) ? new GZipStream(file, CompressionMode.Decompress) : (Stream)file;
        try
        {
            return Parse(path, stream);
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(path, StringComparison.Ordinal))
        {
            // The decompressor's own message does not say which file it was reading.
            throw new InvalidDataException($"{path}: the gzip data is corrupt ({e.Message})", e);
        }
    }

    /// <summary>Throws unless the dims are <paramref name="expected"/> long; names the file and what it holds.</summary>
    public void ExpectDims(int expected, string what)
    {
        if (Dims.Length != expected)
        {
            throw new InvalidDataException($"{Path}: {what} have {expected} dimension(s) in IDX, but this file has {Dims.Length} ({Shapes.Format(Dims)})");
        }
    }

    private static bool IsGzip(FileStream file)
    {
        Span<byte> magic = stackalloc byte[2];
        var read = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        file.Position = 0;
        return read == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
    }

    private static IdxFile Parse(string path, Stream stream)
    {
        var magic = new byte[4];
        if (stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false) < 4)
        {
            throw new InvalidDataException($"{path}: truncated IDX file: it ends inside the 4-byte magic number");
        }

        if (magic[0] != 0 || magic[1] != 0 || !Enum.IsDefined((IdxElement)magic[2]) || magic[3] == 0)
        {
            throw new InvalidDataException($"{path}: not an IDX file: magic number 0x{BinaryPrimitives.ReadUInt32BigEndian(magic):X8}, expected 0x0000TTDD with element type TT in 08, 09, 0B, 0C, 0D, 0E and DD ≥ 1 dimensions");
        }

        var element = (IdxElement)magic[2];
        var sizes = new byte[4 * magic[3]];
        if (stream.ReadAtLeast(sizes, sizes.Length, throwOnEndOfStream: false) < sizes.Length)
        {
            throw new InvalidDataException($"{path}: truncated IDX file: the header promises {magic[3]} dimension sizes but the file ends before them");
        }

        var dims = new int[magic[3]];
        long count = 1;
        for (var i = 0; i < dims.Length; i++)
        {
            var size = BinaryPrimitives.ReadUInt32BigEndian(sizes.AsSpan(4 * i));
            if (size > int.MaxValue || (count *= size) * element.Size() > Array.MaxLength)
            {
                throw new InvalidDataException($"{path}: IDX dimension {i} has size {size}, making the data larger than DistGrad can hold");
            }

            dims[i] = (int)size;
        }

        var data = new byte[count * element.Size()];
        var got = stream.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
        if (got < data.Length)
        {
            throw new InvalidDataException($"{path}: truncated IDX file: the header promises {data.Length} bytes of data (shape {Shapes.Format(dims)}, {element.Size()} byte(s) each) but only {got} follow");
        }

        if (stream.ReadByte() != -1)
        {
            throw new InvalidDataException($"{path}: IDX file has bytes after the {data.Length} bytes of data its header (shape {Shapes.Format(dims)}) promises");
        }

        return new IdxFile(path, element, dims, data);
    }
}
