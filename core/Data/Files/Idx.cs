using System.Buffers.Binary;
using System.Numerics;

namespace DistGrad.Data;

/// <summary>
/// Reads IDX files, the format of MNIST and Fashion-MNIST, raw or gzip-compressed. A malformed file
/// (wrong magic number, unexpected dimensions, fewer bytes than its header promises) throws
/// <see cref="InvalidDataException"/> whose message starts with the file's path.
/// </summary>
public static class Idx
{
    /// <summary>
    /// The file's elements as a tensor shaped by the IDX dimensions. The dtype is
    /// <paramref name="dtype"/> when given (Float32, Float64 or Int64), otherwise the one that holds the
    /// values exactly: Int64 for the integer types, Float32 or Float64 for the floating ones.
    /// </summary>
    public static Tensor Read(string path, DType? dtype = null) => ToTensor(IdxFile.Read(path), dtype);

    /// <summary>An image file ([N, rows, cols] in IDX) as Float32 with the raw values (0–255 for unsigned bytes).</summary>
    public static Tensor ReadImages(string path)
    {
        var file = IdxFile.Read(path);
        file.ExpectDims(3, "images");
        return ToTensor(file, DType.Float32);
    }

    /// <summary>A label file ([N] in IDX) as Int64, PyTorch's dtype for class targets.</summary>
    public static Tensor ReadLabels(string path)
    {
        var file = IdxFile.Read(path);
        file.ExpectDims(1, "labels");
        return ToTensor(file, DType.Int64);
    }

    private static Tensor ToTensor(IdxFile file, DType? dtype) => (dtype ?? file.Element.NaturalDType()) switch
    {
        DType.Float32 => Tensor.From(Decode<float>(file), file.Dims),
        DType.Float64 => Tensor.From(Decode<double>(file), file.Dims),
        DType.Int64 => Tensor.From(Decode<long>(file), file.Dims),
        var other => throw new ArgumentException($"IDX data reads as Float32, Float64 or Int64, not {other.TorchName()}", nameof(dtype)),
    };

    /// <summary>The big-endian elements converted to <typeparamref name="T"/> (floats to integers truncate).</summary>
    internal static T[] Decode<T>(IdxFile file)
        where T : INumber<T>
    {
        var data = file.Data.AsSpan();
        var result = new T[file.Count];
        switch (file.Element)
        {
            case IdxElement.UByte:
                for (var i = 0; i < result.Length; i++)
                {
                    result[i] = T.CreateTruncating(data[i]);
                }

                break;
            case IdxElement.SByte:
                for (var i = 0; i < result.Length; i++)
                {
                    result[i] = T.CreateTruncating((sbyte)data[i]);
                }

                break;
            case IdxElement.Int16:
                for (var i = 0; i < result.Length; i++)
                {
                    result[i] = T.CreateTruncating(BinaryPrimitives.ReadInt16BigEndian(data[(2 * i)..]));
                }

                break;
            case IdxElement.Int32:
                for (var i = 0; i < result.Length; i++)
                {
                    result[i] = T.CreateTruncating(BinaryPrimitives.ReadInt32BigEndian(data[(4 * i)..]));
                }

                break;
            case IdxElement.Float32:
                for (var i = 0; i < result.Length; i++)
                {
                    result[i] = T.CreateTruncating(BinaryPrimitives.ReadSingleBigEndian(data[(4 * i)..]));
                }

                break;
            default:
                for (var i = 0; i < result.Length; i++)
                {
                    result[i] = T.CreateTruncating(BinaryPrimitives.ReadDoubleBigEndian(data[(8 * i)..]));
                }

                break;
        }

        return result;
    }
}
