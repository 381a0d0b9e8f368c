using System.Buffers.Binary;
using System.Text;
using DistGrad.Serialization;
using DistGrad.Tests.Data;

namespace DistGrad.Tests.Serialization;

/// <summary>Malformed files throw InvalidDataException naming the file (or "safetensors data") and the fault.</summary>
public sealed class SafeTensorsErrorTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 16, "overlapping")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12, "overlapping")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8, "belong to no tensor")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 8, "belong to no tensor")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8, "out of range")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,4]}}", 8, "out of range")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8, "needs 12")]
    [InlineData("{\"a\":{\"dtype\":\"F16\",\"shape\":[4],\"data_offsets\":[0,8]}}", 8, "dtype F16 is not supported")]
    [InlineData("{\"a\":{\"dtype\":\"Q7\",\"shape\":[4],\"data_offsets\":[0,8]}}", 8, "unknown dtype \"Q7\"")]
    [InlineData("{\"a\":{\"shape\":[2],\"data_offsets\":[0,8]}}", 8, "missing a string \"dtype\"")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8, "non-negative integers")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0]}}", 8, "must hold 2 integers")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}", 16, "names \"a\" twice")]
    [InlineData("{\"__metadata__\":{\"k\":1}}", 0, "must be a string")]
    [InlineData("[1, 2]", 0, "must be a JSON object")]
    [InlineData("{\"a\":", 0, "not valid JSON")]
    public void MalformedHeadersAreNamedErrors(string header, int dataLength, string expected)
    {
        var path = Write("bad.safetensors", File(header, dataLength));
        var e = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path));
        Assert.StartsWith(path, e.Message);
        Assert.Contains(expected, e.Message);

        var inMemory = Assert.Throws<InvalidDataException>(() => SafeTensors.Deserialize(File(header, dataLength)));
        Assert.StartsWith("safetensors data: ", inMemory.Message);
    }

    [Fact]
    public void TruncatedFilesAreNamedErrors()
    {
        var good = SafeTensors.Serialize(new Dictionary<string, Tensor> { ["w"] = Tensor.Ones([10]) });

        var cutData = Write("cut-data.safetensors", good[..^4]);
        var e = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(cutData));
        Assert.StartsWith(cutData, e.Message);
        Assert.Contains("truncated", e.Message);

        var cutHeader = Write("cut-header.safetensors", good[..20]);
        e = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(cutHeader));
        Assert.Contains("truncated", e.Message);
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => SafeTensors.LoadMetadata(cutHeader)).Message);

        var cutPrefix = Write("cut-prefix.safetensors", good[..5]);
        Assert.Contains("shorter than the 8-byte header length", Assert.Throws<InvalidDataException>(() => SafeTensors.Load(cutPrefix)).Message);
        Assert.Contains("shorter than the 8-byte header length", Assert.Throws<InvalidDataException>(() => SafeTensors.LoadMetadata(cutPrefix)).Message);
    }

    [Fact]
    public void HugeHeaderLengthIsRejectedBeforeAllocating()
    {
        var bytes = new byte[64];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, 100_000_001);
        Assert.Contains("header too large", Assert.Throws<InvalidDataException>(() => SafeTensors.Deserialize(bytes)).Message);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, ulong.MaxValue);
        Assert.Contains("header too large", Assert.Throws<InvalidDataException>(() => SafeTensors.Deserialize(bytes)).Message);
    }

    [Fact]
    public void ZeroSizeTensorsMayShareAnOffset()
    {
        var header = "{\"e\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]},\"a\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]},\"f\":{\"dtype\":\"F64\",\"shape\":[2,0],\"data_offsets\":[8,8]}}";
        var tensors = SafeTensors.Deserialize(File(header, 8));
        Assert.Equal(["e", "a", "f"], tensors.Keys);
        Assert.Equal([2, 0], tensors["f"].Shape);
    }

    [Fact]
    public void MissingFileThrowsFileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => SafeTensors.Load(_folder.File("absent.safetensors")));
    }

    /// <summary>A file with the given header (space-padded to 8) and that many zero data bytes.</summary>
    private static byte[] File(string header, int dataLength)
    {
        var json = Encoding.UTF8.GetBytes(header);
        var padded = (json.Length + 7) / 8 * 8;
        var bytes = new byte[8 + padded + dataLength];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)padded);
        json.CopyTo(bytes, 8);
        bytes.AsSpan(8 + json.Length, padded - json.Length).Fill((byte)' ');
        return bytes;
    }

    private string Write(string name, byte[] bytes)
    {
        var path = _folder.File(name);
        System.IO.File.WriteAllBytes(path, bytes);
        return path;
    }
}
