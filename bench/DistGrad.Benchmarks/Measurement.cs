using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DistGrad.Benchmarks;

/// <summary>
/// One figure of one workload, as a JSON line: the format both this project and bench/reference/*.py write,
/// so the compare report can join them by workload name.
/// </summary>
internal sealed record Measurement(
    [property: JsonPropertyName("side")] string Side,
    [property: JsonPropertyName("workload")] string Workload,
    [property: JsonPropertyName("value")] double Value,
    [property: JsonPropertyName("unit")] string Unit)
{
    // Workload names keep "+" and "[" readable in the file instead of \u002B escapes.
    private static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Whether a larger value is the better one (throughput) rather than the worse (time, memory).</summary>
    [JsonIgnore]
    public bool HigherIsBetter => Unit.EndsWith("/s", StringComparison.Ordinal);

    public string ToJson() => JsonSerializer.Serialize(this, Options);

    public static Measurement FromJson(string line) =>
        JsonSerializer.Deserialize<Measurement>(line, Options) ?? throw new FormatException($"not a measurement: {line}");

    public static IReadOnlyList<Measurement> ReadAll(string path) =>
        [.. File.ReadLines(path).Where(l => !string.IsNullOrWhiteSpace(l)).Select(FromJson)];

    /// <summary>Appends to a JSON-lines file (the runs of one side share one file).</summary>
    public static void Append(string? path, IEnumerable<Measurement> measurements)
    {
        if (path == null)
        {
            return;
        }

        File.AppendAllLines(path, measurements.Select(m => m.ToJson()));
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Workload}: {Value:G4} {Unit}");
}
