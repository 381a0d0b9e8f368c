namespace DistGrad.Tests.Serialization;

/// <summary>The safetensors files written by Fixtures/make_fixtures.py (struct and json only) and copied beside the tests.</summary>
internal static class Fixtures
{
    public static string Reference => Path.Combine(AppContext.BaseDirectory, "Serialization", "Fixtures", "reference.safetensors");

    public static string HeaderOrder => Path.Combine(AppContext.BaseDirectory, "Serialization", "Fixtures", "header_order.safetensors");

    /// <summary>The tensors make_fixtures.py writes, in its order.</summary>
    public static OrderedDictionary<string, Tensor> Tensors() => new()
    {
        ["weight"] = Tensor.From(new float[,] { { 0.5f, -1.25f, 3.0f }, { 0.001f, -0.0f, 65504.0f } }),
        ["bias"] = Tensor.From(new[] { 1.0 / 3.0, -2.5, 1e300 }),
        ["step"] = Tensor.Scalar(42L),
        ["index"] = Tensor.From(new[] { 0L, -1, 1L << 40, -(1L << 62) }),
        ["mask"] = Tensor.From(new[] { true, false, false, true }).Reshape(2, 2),
        ["empty"] = Tensor.Zeros([0, 3]),
    };

    public static OrderedDictionary<string, string> Metadata() => new() { ["format"] = "pt", ["step"] = "1234" };
}
