using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace DistGrad.Serialization;

/// <summary>A tensor's elements as little-endian bytes, row-major, and back.</summary>
internal static class TensorBytes
{
    /// <summary>The elements of any tensor (strided, on any device) in row-major order.</summary>
    public static byte[] Of(Tensor tensor) => tensor.DType switch
    {
        DType.Float32 => ToBytes<float>(tensor.ToArray<float>()),
        DType.Float64 => ToBytes<double>(tensor.ToArray<double>()),
        DType.Int64 => ToBytes<long>(tensor.ToArray<long>()),
        DType.Bool => Array.ConvertAll(tensor.ToArray<bool>(), b => b ? (byte)1 : (byte)0),
        _ => throw new ArgumentOutOfRangeException(nameof(tensor)),
    };

    public static Tensor ToTensor(ReadOnlySpan<byte> bytes, DType dtype, int[] shape) => dtype switch
    {
        DType.Float32 => Tensor.From(FromBytes<float>(bytes), shape),
        DType.Float64 => Tensor.From(FromBytes<double>(bytes), shape),
        DType.Int64 => Tensor.From(FromBytes<long>(bytes), shape),
        DType.Bool => Tensor.From(ToBools(bytes), shape),
        _ => throw new ArgumentOutOfRangeException(nameof(dtype)),
    };

    private static byte[] ToBytes<T>(T[] values)
        where T : unmanaged
    {
        var bytes = MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
        SwapIfBigEndian(bytes, Unsafe.SizeOf<T>());
        return bytes;
    }

    private static T[] FromBytes<T>(ReadOnlySpan<byte> bytes)
        where T : unmanaged
    {
        var values = MemoryMarshal.Cast<byte, T>(bytes).ToArray();
        SwapIfBigEndian(MemoryMarshal.AsBytes(values.AsSpan()), Unsafe.SizeOf<T>());
        return values;
    }

    private static bool[] ToBools(ReadOnlySpan<byte> bytes)
    {
        var values = new bool[bytes.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = bytes[i] != 0;
        }

        return values;
    }

    /// <summary>The format is little-endian whatever the machine; a big-endian one reverses each element.</summary>
    private static void SwapIfBigEndian(Span<byte> bytes, int elementSize)
    {
        if (BitConverter.IsLittleEndian)
        {
            return;
        }

        for (var i = 0; i < bytes.Length; i += elementSize)
        {
            bytes.Slice(i, elementSize).Reverse();
        }
    }
}
