using System.Text;
using DistGrad.Serialization;

namespace DistGrad.Tests.Serialization;

/// <summary>Against files from an independent writer (Python's struct and json): read exactly, and written byte for byte.</summary>
public class SafeTensorsFixtureTests
{
    [Fact]
    public void ReadsTheReferenceFile()
    {
        var tensors = SafeTensors.Load(Fixtures.Reference);
        Assert.Equal(["weight", "bias", "step", "index", "mask", "empty"], tensors.Keys);

        var weight = tensors["weight"];
        Assert.Equal(DType.Float32, weight.DType);
        Assert.Equal([2, 3], weight.Shape);
        Assert.Equal([0.5f, -1.25f, 3.0f, 0.001f, -0.0f, 65504.0f], weight.ToArray<float>());
        Assert.True(float.IsNegative(weight.ToArray<float>()[4]));

        Assert.Equal(DType.Float64, tensors["bias"].DType);
        Assert.Equal([1.0 / 3.0, -2.5, 1e300], tensors["bias"].ToArray<double>());

        Assert.Equal(DType.Int64, tensors["step"].DType);
        Assert.Equal([], tensors["step"].Shape);
        Assert.Equal(42, tensors["step"].Item());

        Assert.Equal([0L, -1, 1L << 40, -(1L << 62)], tensors["index"].ToArray<long>());

        Assert.Equal(DType.Bool, tensors["mask"].DType);
        Assert.Equal([2, 2], tensors["mask"].Shape);
        Assert.Equal([true, false, false, true], tensors["mask"].ToArray<bool>());

        Assert.Equal([0, 3], tensors["empty"].Shape);
        Assert.Equal(DType.Float32, tensors["empty"].DType);

        Assert.Equal(Fixtures.Metadata(), SafeTensors.LoadMetadata(Fixtures.Reference));
    }

    [Fact]
    public void WritesTheReferenceFileByteForByte()
    {
        var ours = SafeTensors.Serialize(Fixtures.Tensors(), Fixtures.Metadata());
        var theirs = File.ReadAllBytes(Fixtures.Reference);
        Assert.Equal(Encoding.UTF8.GetString(theirs, 8, 400), Encoding.UTF8.GetString(ours, 8, 400));
        Assert.Equal(theirs, ours);
    }

    [Fact]
    public void OrderIsTheDataOrderNotTheHeaderOrder()
    {
        // The header lists the tensors alphabetically; their data is in make_fixtures.py's order.
        var header = Encoding.UTF8.GetString(File.ReadAllBytes(Fixtures.HeaderOrder));
        Assert.True(header.IndexOf("\"bias\"", StringComparison.Ordinal) < header.IndexOf("\"weight\"", StringComparison.Ordinal));

        var tensors = SafeTensors.Load(Fixtures.HeaderOrder);
        Assert.Equal(["weight", "bias", "step", "index", "mask", "empty"], tensors.Keys);
        Assert.Equal([0.5f, -1.25f, 3.0f, 0.001f, -0.0f, 65504.0f], tensors["weight"].ToArray<float>());
        Assert.Empty(SafeTensors.LoadMetadata(Fixtures.HeaderOrder));
    }
}
