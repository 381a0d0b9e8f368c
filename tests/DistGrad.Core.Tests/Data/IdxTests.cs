using System.Buffers.Binary;
using DistGrad.Data;

namespace DistGrad.Tests.Data;

/// <summary>The IDX reader: element types, gzip or raw, and a clear error naming the file for each kind of damage.</summary>
public sealed class IdxTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadsUnsignedBytesRawOrGzipped(bool gzip)
    {
        var raw = IdxBytes.UBytes([2, 3, 4], i => (byte)(i * 10));
        var path = Write(gzip ? "images.gz" : "images", gzip ? IdxBytes.Gzip(raw) : raw);

        var natural = Idx.Read(path);
        Assert.Equal(DType.Int64, natural.DType);
        Assert.Equal([2, 3, 4], natural.Shape);
        Assert.Equal(Enumerable.Range(0, 24).Select(i => (long)(byte)(i * 10)), natural.ToArray<long>());

        var images = Idx.ReadImages(path);
        Assert.Equal(DType.Float32, images.DType);
        Assert.Equal(130f, images.ToArray<float>()[(1 * 12) + 1]);
    }

    [Fact]
    public void GzipIsRecognisedByContentNotName()
    {
        var path = Write("labels-without-extension", IdxBytes.Gzip(IdxBytes.UBytes([3], i => (byte)(7 - i))));
        Assert.Equal([7L, 6, 5], Idx.ReadLabels(path).ToArray<long>());
    }

    [Fact]
    public void ReadsOtherElementTypesBigEndian()
    {
        var ints = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(ints, -5);
        BinaryPrimitives.WriteInt32BigEndian(ints.AsSpan(4), 70000);
        Assert.Equal([-5L, 70000], Idx.Read(Write("i32", IdxBytes.Make(0x0C, [2], ints))).ToArray<long>());

        var shorts = new byte[4];
        BinaryPrimitives.WriteInt16BigEndian(shorts, -300);
        BinaryPrimitives.WriteInt16BigEndian(shorts.AsSpan(2), 300);
        Assert.Equal([-300L, 300], Idx.Read(Write("i16", IdxBytes.Make(0x0B, [2], shorts))).ToArray<long>());

        Assert.Equal([-1L, 127], Idx.Read(Write("i8", IdxBytes.Make(0x09, [2], [0xFF, 0x7F]))).ToArray<long>());

        var floats = new byte[8];
        BinaryPrimitives.WriteSingleBigEndian(floats, 1.5f);
        BinaryPrimitives.WriteSingleBigEndian(floats.AsSpan(4), -0.25f);
        var f32 = Idx.Read(Write("f32", IdxBytes.Make(0x0D, [1, 2], floats)));
        Assert.Equal(DType.Float32, f32.DType);
        Assert.Equal([1.5f, -0.25f], f32.ToArray<float>());

        var doubles = new byte[8];
        BinaryPrimitives.WriteDoubleBigEndian(doubles, Math.PI);
        var f64 = Idx.Read(Write("f64", IdxBytes.Make(0x0E, [1], doubles)));
        Assert.Equal(DType.Float64, f64.DType);
        Assert.Equal([Math.PI], f64.ToArray<double>());
    }

    [Fact]
    public void ConvertsToARequestedDType()
    {
        var path = Write("labels", IdxBytes.UBytes([2], i => (byte)(i + 1)));
        var asDouble = Idx.Read(path, DType.Float64);
        Assert.Equal(DType.Float64, asDouble.DType);
        Assert.Equal([1.0, 2.0], asDouble.ToArray<double>());
        Assert.Throws<ArgumentException>(() => Idx.Read(path, DType.Bool));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void CorruptMagicNumberNamesTheFile(bool gzip)
    {
        var raw = IdxBytes.UBytes([2], i => 0);
        raw[1] = 0x03;
        var path = Write("bad-magic", gzip ? IdxBytes.Gzip(raw) : raw);
        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(path));
        Assert.StartsWith(path, e.Message);
        Assert.Contains("not an IDX file", e.Message);
        Assert.Contains("0x00030801", e.Message);
    }

    [Fact]
    public void UnknownElementTypeIsACorruptMagic()
    {
        var path = Write("bad-type", IdxBytes.Make(0x0A, [1], [0]));
        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(path));
        Assert.Contains("not an IDX file", e.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TruncatedDataNamesTheFileAndTheShortfall(bool gzip)
    {
        var raw = IdxBytes.UBytes([3, 4, 4], i => 1);
        raw = raw[..^10];
        var path = Write("truncated", gzip ? IdxBytes.Gzip(raw) : raw);
        var e = Assert.Throws<InvalidDataException>(() => Idx.ReadImages(path));
        Assert.StartsWith(path, e.Message);
        Assert.Contains("truncated", e.Message);
        Assert.Contains("48 bytes", e.Message);
        Assert.Contains("only 38", e.Message);
    }

    [Fact]
    public void TruncatedHeaderNamesTheFile()
    {
        var path = Write("short-header", IdxBytes.UBytes([3, 4, 4], i => 1)[..9]);
        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(path));
        Assert.StartsWith(path, e.Message);
        Assert.Contains("truncated", e.Message);

        var tiny = Write("tiny", [0, 0]);
        Assert.StartsWith(tiny, Assert.Throws<InvalidDataException>(() => Idx.Read(tiny)).Message);
    }

    [Fact]
    public void CutGzipStreamIsAClearError()
    {
        var gz = IdxBytes.Gzip(IdxBytes.UBytes([50, 28, 28], i => (byte)(i * 31)));
        var path = Write("cut.gz", gz[..(gz.Length / 2)]);
        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(path));
        Assert.StartsWith(path, e.Message);
    }

    [Fact]
    public void CorruptGzipDataNamesTheFile()
    {
        var gz = IdxBytes.Gzip(IdxBytes.UBytes([50, 28, 28], i => (byte)(i * 31)));
        for (var i = 20; i < 60; i++)
        {
            gz[i] ^= 0x5A;
        }

        var path = Write("corrupt.gz", gz);
        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(path));
        Assert.StartsWith(path, e.Message);
    }

    [Fact]
    public void TrailingBytesAreAnError()
    {
        var path = Write("trailing", [.. IdxBytes.UBytes([2], i => 0), 9]);
        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(path));
        Assert.StartsWith(path, e.Message);
        Assert.Contains("after", e.Message);
    }

    [Fact]
    public void WrongDimsForImagesOrLabelsNameTheFile()
    {
        var labels = Write("labels", IdxBytes.UBytes([4], i => 0));
        var e = Assert.Throws<InvalidDataException>(() => Idx.ReadImages(labels));
        Assert.StartsWith(labels, e.Message);
        Assert.Contains("3 dimension", e.Message);

        var images = Write("images", IdxBytes.UBytes([2, 2, 2], i => 0));
        Assert.Contains("1 dimension", Assert.Throws<InvalidDataException>(() => Idx.ReadLabels(images)).Message);
    }

    [Fact]
    public void ZeroDimensionsIsACorruptMagic()
    {
        var path = Write("zero-dims", [0, 0, 8, 0]);
        Assert.Contains("not an IDX file", Assert.Throws<InvalidDataException>(() => Idx.Read(path)).Message);
    }

    [Fact]
    public void MissingFileThrowsFileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => Idx.Read(_folder.File("absent")));
    }

    private string Write(string name, byte[] bytes)
    {
        var path = _folder.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
