using System.Text.Json;
using DistGrad.Distributed.Pipeline;

namespace DistGrad.Distributed.Tests.Pipeline;

public class ChromeTraceTests
{
    [Fact]
    public void Each_event_becomes_one_complete_event_with_times_relative_to_the_first()
    {
        var events = TimelineEvents.GPipeTwoByTwo();

        var trace = Parse(events);

        var complete = trace.GetProperty("traceEvents").EnumerateArray().Where(e => e.GetProperty("ph").GetString() == "X").ToList();
        Assert.Equal(events.Count, complete.Count);
        Assert.Equal("ms", trace.GetProperty("displayTimeUnit").GetString());
        var b1 = Assert.Single(complete, e => e.GetProperty("name").GetString() == "B1" && e.GetProperty("tid").GetInt32() == 0);
        Assert.Equal("backward", b1.GetProperty("cat").GetString());
        Assert.Equal(500, b1.GetProperty("ts").GetDouble());
        Assert.Equal(200, b1.GetProperty("dur").GetDouble());
        Assert.Equal(0, b1.GetProperty("pid").GetInt32());
        Assert.Equal(7, b1.GetProperty("args").GetProperty("step").GetInt64());
        Assert.Equal(0, b1.GetProperty("args").GetProperty("rank").GetInt32());
        Assert.Equal(0, complete.Min(e => e.GetProperty("ts").GetDouble()));
    }

    [Fact]
    public void Metadata_names_replicas_and_stages_with_their_ranks()
    {
        var events = TimelineEvents.GPipeTwoByTwo(0).Concat(TimelineEvents.GPipeTwoByTwo(1)).ToList();

        var names = Parse(events).GetProperty("traceEvents").EnumerateArray()
            .Where(e => e.GetProperty("ph").GetString() == "M" && e.GetProperty("args").TryGetProperty("name", out _))
            .Select(e => (e.GetProperty("name").GetString(), e.GetProperty("pid").GetInt32(), e.GetProperty("tid").GetInt32(), e.GetProperty("args").GetProperty("name").GetString()))
            .ToHashSet();

        Assert.Equal(
            new HashSet<(string?, int, int, string?)>
            {
                ("process_name", 0, 0, "replica 0"),
                ("process_name", 1, 0, "replica 1"),
                ("thread_name", 0, 0, "stage 0 (rank 0)"),
                ("thread_name", 0, 1, "stage 1 (rank 1)"),
                ("thread_name", 1, 0, "stage 0 (rank 2)"),
                ("thread_name", 1, 1, "stage 1 (rank 3)"),
            },
            names);
    }

    [Fact]
    public void Writing_to_a_path_leaves_only_the_trace()
    {
        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, "trace.json");

        ChromeTrace.Write(path, TimelineEvents.GPipeTwoByTwo());

        Assert.Equal(["trace.json"], Directory.GetFiles(directory.Path).Select(Path.GetFileName));
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        Assert.Equal(JsonValueKind.Array, document.RootElement.GetProperty("traceEvents").ValueKind);
    }

    [Fact]
    public void No_events_make_an_empty_trace()
    {
        Assert.Empty(Parse([]).GetProperty("traceEvents").EnumerateArray());
    }

    private static JsonElement Parse(IReadOnlyList<TimelineEvent> events)
    {
        using var stream = new MemoryStream();
        ChromeTrace.Write(stream, events);
        using var document = JsonDocument.Parse(stream.ToArray());
        return document.RootElement.Clone();
    }
}
