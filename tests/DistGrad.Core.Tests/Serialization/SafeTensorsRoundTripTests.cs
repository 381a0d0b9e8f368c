using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using DistGrad.Serialization;
using DistGrad.Tests.Data;

namespace DistGrad.Tests.Serialization;

/// <summary>Save then Load keeps names, order, dtypes, shapes and values; our header parses as the format says.</summary>
public sealed class SafeTensorsRoundTripTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void SaveThenLoadKeepsEverythingInInsertionOrder()
    {
        var path = _folder.File("model.safetensors");
        var tensors = new OrderedDictionary<string, Tensor>
        {
            ["z.last.weight"] = Tensor.Randn([3, 4], generator: new Generator(1)),
            ["a.first"] = Tensor.Randn([5], DType.Float64, generator: new Generator(2)),
            ["counts"] = Tensor.From(new long[] { 7, -8, long.MaxValue }),
            ["flags"] = Tensor.From(new[] { false, true }),
            ["scalar"] = Tensor.Scalar(2.5f),
            ["ünïcode/名前"] = Tensor.Ones([1, 1, 2]),
        };
        SafeTensors.Save(path, tensors, new Dictionary<string, string> { ["epoch"] = "3" });

        var loaded = SafeTensors.Load(path);
        Assert.Equal(tensors.Keys, loaded.Keys);
        foreach (var (name, tensor) in tensors)
        {
            Assert.Equal(tensor.DType, loaded[name].DType);
            Assert.Equal(tensor.Shape, loaded[name].Shape);
            Assert.Equal(tensor.ToArray<double>(), loaded[name].ToArray<double>());
        }

        Assert.Equal("3", SafeTensors.LoadMetadata(path)["epoch"]);
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public void NonContiguousTensorsAreWrittenContiguous()
    {
        var m = Tensor.From(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        var bytes = SafeTensors.Serialize(new Dictionary<string, Tensor> { ["t"] = m.T, ["row"] = m[1] });
        var loaded = SafeTensors.Deserialize(bytes);
        Assert.Equal([3, 2], loaded["t"].Shape);
        Assert.Equal([1f, 4, 2, 5, 3, 6], loaded["t"].ToArray<float>());
        Assert.True(loaded["t"].IsContiguous);
        Assert.Equal([4f, 5, 6], loaded["row"].ToArray<float>());
    }

    [Fact]
    public void OurHeaderIsWhatTheFormatSays()
    {
        var tensors = new OrderedDictionary<string, Tensor>
        {
            ["w"] = Tensor.From(new float[] { 1, -2 }),
            ["n"] = Tensor.From(new long[] { 5 }),
            ["b"] = Tensor.From(new[] { true, false, true }),
            ["d"] = Tensor.From(new double[] { 0.25 }),
        };
        var bytes = SafeTensors.Serialize(tensors, new Dictionary<string, string> { ["k"] = "v" });

        var n = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, n % 8);
        var text = Encoding.UTF8.GetString(bytes, 8, n);
        Assert.InRange(n - text.TrimEnd(' ').Length, 0, 7);
        using var header = JsonDocument.Parse(text);
        var root = header.RootElement;
        Assert.Equal(["__metadata__", "w", "n", "b", "d"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("v", root.GetProperty("__metadata__").GetProperty("k").GetString());

        var data = bytes.AsSpan(8 + n);
        Assert.Equal(8 + 8 + 3 + 8, data.Length);
        string Entry(string name)
        {
            var e = root.GetProperty(name);
            var shape = string.Join(",", e.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
            var offsets = string.Join(",", e.GetProperty("data_offsets").EnumerateArray().Select(o => o.GetInt64()));
            return $"{e.GetProperty("dtype").GetString()} [{shape}] [{offsets}]";
        }

        Assert.Equal("F32 [2] [0,8]", Entry("w"));
        Assert.Equal("I64 [1] [8,16]", Entry("n"));
        Assert.Equal("BOOL [3] [16,19]", Entry("b"));
        Assert.Equal("F64 [1] [19,27]", Entry("d"));
        Assert.Equal(-2f, BinaryPrimitives.ReadSingleLittleEndian(data[4..]));
        Assert.Equal(5L, BinaryPrimitives.ReadInt64LittleEndian(data[8..]));
        Assert.Equal([1, 0, 1], data[16..19].ToArray());
        Assert.Equal(0.25, BinaryPrimitives.ReadDoubleLittleEndian(data[19..]));
    }

    [Fact]
    public void EmptyDictionaryRoundTrips()
    {
        var bytes = SafeTensors.Serialize(new Dictionary<string, Tensor>());
        Assert.Equal(16, bytes.Length);
        Assert.Equal("{}      ", Encoding.UTF8.GetString(bytes, 8, 8));
        Assert.Empty(SafeTensors.Deserialize(bytes));
        Assert.Empty(SafeTensors.DeserializeMetadata(bytes));
    }

    [Fact]
    public void SaveReplacesAnExistingFile()
    {
        var path = _folder.File("x.safetensors");
        SafeTensors.Save(path, new Dictionary<string, Tensor> { ["a"] = Tensor.Ones([100]) });
        SafeTensors.Save(path, new Dictionary<string, Tensor> { ["b"] = Tensor.Zeros([1]) });
        Assert.Equal(["b"], SafeTensors.Load(path).Keys);
    }

    [Fact]
    public void ReservedOrMissingNamesAreRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => SafeTensors.Serialize(new Dictionary<string, Tensor> { ["__metadata__"] = Tensor.Ones([1]) }));
        Assert.Contains("reserved", e.Message);
        Assert.Contains("\"x\" is null", Assert.Throws<ArgumentException>(() => SafeTensors.Serialize(new Dictionary<string, Tensor> { ["x"] = null! })).Message);
    }
}
