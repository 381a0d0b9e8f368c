using System.Text.Json;

namespace DistGrad.Distributed.Pipeline;

/// <summary>
/// Writes timeline events in Chrome's trace-event JSON, which Perfetto (ui.perfetto.dev) and chrome://tracing open:
/// a process per replica, a thread per stage, a complete ("X") event per timeline event.
/// </summary>
public static class ChromeTrace
{
    /// <summary>
    /// Writes {"traceEvents":[...], "displayTimeUnit":"ms"} with times relative to the earliest event, so the
    /// viewer's axis starts at zero rather than decades after 1970.
    /// </summary>
    public static void Write(Stream destination, IReadOnlyList<TimelineEvent> events)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(events);
        var origin = events.Count == 0 ? 0 : events.Min(e => e.StartMicroseconds);
        using var json = new Utf8JsonWriter(destination);
        json.WriteStartObject();
        json.WriteStartArray("traceEvents");
        WriteNames(json, events);
        foreach (var e in events)
        {
            json.WriteStartObject();
            json.WriteString("name", e.Name);
            json.WriteString("cat", e.Category);
            json.WriteString("ph", "X");
            json.WriteNumber("ts", e.StartMicroseconds - origin);
            json.WriteNumber("dur", e.DurationMicroseconds);
            json.WriteNumber("pid", e.Replica);
            json.WriteNumber("tid", e.Stage);
            json.WriteStartObject("args");
            json.WriteNumber("step", e.Step);
            json.WriteNumber("rank", e.Rank);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteString("displayTimeUnit", "ms");
        json.WriteEndObject();
    }

    /// <summary>Writes the trace to a file through a temporary file and a rename, so a reader never sees half a trace.</summary>
    public static void Write(string path, IReadOnlyList<TimelineEvent> events)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var stream = File.Create(temporary))
            {
                Write(stream, events);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    // Metadata events give the rows readable names and keep stages in pipeline order rather than first-seen order.
    private static void WriteNames(Utf8JsonWriter json, IReadOnlyList<TimelineEvent> events)
    {
        foreach (var replica in events.Select(e => e.Replica).Distinct().Order())
        {
            WriteMetadata(json, "process_name", replica, 0, "name", $"replica {replica}");
            WriteMetadata(json, "process_sort_index", replica, 0, "sort_index", replica);
        }

        var threads = events
            .GroupBy(e => (e.Replica, e.Stage))
            .Select(g => (g.Key.Replica, g.Key.Stage, g.First().Rank))
            .Order();
        foreach (var (replica, stage, rank) in threads)
        {
            WriteMetadata(json, "thread_name", replica, stage, "name", $"stage {stage} (rank {rank})");
            WriteMetadata(json, "thread_sort_index", replica, stage, "sort_index", stage);
        }
    }

    private static void WriteMetadata(Utf8JsonWriter json, string name, int pid, int tid, string argument, string value)
    {
        StartMetadata(json, name, pid, tid);
        json.WriteString(argument, value);
        EndMetadata(json);
    }

    private static void WriteMetadata(Utf8JsonWriter json, string name, int pid, int tid, string argument, int value)
    {
        StartMetadata(json, name, pid, tid);
        json.WriteNumber(argument, value);
        EndMetadata(json);
    }

    private static void StartMetadata(Utf8JsonWriter json, string name, int pid, int tid)
    {
        json.WriteStartObject();
        json.WriteString("name", name);
        json.WriteString("ph", "M");
        json.WriteNumber("pid", pid);
        json.WriteNumber("tid", tid);
        json.WriteStartObject("args");
    }

    private static void EndMetadata(Utf8JsonWriter json)
    {
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
