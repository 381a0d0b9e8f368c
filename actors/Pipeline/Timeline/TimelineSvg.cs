using System.Globalization;
using System.Xml.Linq;

namespace DistGrad.Distributed.Pipeline;

/// <summary>
/// Draws one step of a pipeline as a Gantt chart in SVG: a row per (replica, stage), forwards, backwards and
/// gradient processors as boxes, sends and receives as thin marks, a millisecond axis, a legend, and a caption that
/// sets the measured bubble beside the theoretical one. Built with System.Xml.Linq so names are escaped and the
/// document is well-formed; every number is written in the invariant culture.
/// </summary>
public static class TimelineSvg
{
    private const double Left = 140;
    private const double Top = 10;
    private const double PlotWidth = 1000;
    private const double RowHeight = 28;
    private const double BoxHeight = 20;
    private const double Right = 20;

    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static readonly IReadOnlyDictionary<string, string> Colours = new Dictionary<string, string>
    {
        [TimelineCategories.Forward] = "#4c78a8",
        [TimelineCategories.Backward] = "#f58518",
        [TimelineCategories.Gradients] = "#54a24b",
        [TimelineCategories.Send] = "#222222",
        [TimelineCategories.Recv] = "#999999",
    };

    /// <summary>The SVG document for the events of one step.</summary>
    public static string Render(IReadOnlyList<TimelineEvent> oneStep, int stages, int microBatches, string schedule)
    {
        ArgumentNullException.ThrowIfNull(oneStep);
        ArgumentNullException.ThrowIfNull(schedule);
        if (oneStep.Count == 0)
        {
            throw new ArgumentException("There are no events to draw.", nameof(oneStep));
        }

        if (oneStep.Select(e => e.Step).Distinct().Skip(1).Any())
        {
            throw new ArgumentException("The events must belong to one step.", nameof(oneStep));
        }

        var replicas = oneStep.Select(e => e.Replica).Distinct().Order().ToList();
        var origin = oneStep.Min(e => e.StartMicroseconds);
        var span = Math.Max(oneStep.Max(e => e.EndMicroseconds) - origin, 1);
        var rows = replicas.Count * stages;
        var axisY = Top + (rows * RowHeight) + 4;
        var root = new XElement(
            Svg + "svg",
            new XAttribute("width", N(Left + PlotWidth + Right)),
            new XAttribute("height", N(axisY + 95)),
            new XAttribute("font-family", "sans-serif"),
            new XAttribute("font-size", "11"));

        double X(double microseconds) => Left + ((microseconds - origin) / span * PlotWidth);
        double RowY(int replica, int stage) => Top + (((replicas.IndexOf(replica) * stages) + stage) * RowHeight);

        foreach (var replica in replicas)
        {
            for (var stage = 0; stage < stages; stage++)
            {
                root.Add(Text(8, RowY(replica, stage) + (RowHeight / 2) + 4, $"replica {replica} · stage {stage}", "start"));
            }
        }

        foreach (var e in oneStep.Where(e => e.Stage >= 0 && e.Stage < stages))
        {
            root.Add(Draw(e, X(e.StartMicroseconds), Math.Max(X(e.EndMicroseconds) - X(e.StartMicroseconds), 0.5), RowY(e.Replica, e.Stage)));
        }

        root.Add(Axis(axisY, span));
        root.Add(Legend(axisY + 45));
        root.Add(Text(Left, axisY + 80, Caption(oneStep, replicas, stages, microBatches, schedule), "start"));
        return new XDocument(root).ToString();
    }

    /// <summary>Writes <see cref="Render"/>'s document to a file.</summary>
    public static void Write(string path, IReadOnlyList<TimelineEvent> oneStep, int stages, int microBatches, string schedule)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        File.WriteAllText(path, Render(oneStep, stages, microBatches, schedule));
    }

    private static XElement Draw(TimelineEvent e, double x, double width, double rowY)
    {
        var colour = Colours.GetValueOrDefault(e.Category, "#bbbbbb");
        var title = new XElement(Svg + "title", $"{e.Name}: {N(e.DurationMicroseconds / 1000.0)} ms (rank {e.Rank})");
        var boxY = rowY + ((RowHeight - BoxHeight) / 2);
        if (e.Category is TimelineCategories.Send or TimelineCategories.Recv)
        {
            // Transfers are drawn as thin bars at the row's top (send) or bottom (receive) edge so they never hide the work.
            var y = e.Category == TimelineCategories.Send ? boxY : boxY + BoxHeight;
            return new XElement(
                Svg + "line",
                new XAttribute("class", e.Category),
                new XAttribute("x1", N(x)),
                new XAttribute("x2", N(x + Math.Max(width, 1))),
                new XAttribute("y1", N(y)),
                new XAttribute("y2", N(y)),
                new XAttribute("stroke", colour),
                new XAttribute("stroke-width", "2"),
                title);
        }

        var box = new XElement(
            Svg + "rect",
            new XAttribute("class", e.Category),
            new XAttribute("x", N(x)),
            new XAttribute("y", N(boxY)),
            new XAttribute("width", N(width)),
            new XAttribute("height", N(BoxHeight)),
            new XAttribute("fill", colour),
            new XAttribute("stroke", "#ffffff"),
            new XAttribute("stroke-width", "0.5"),
            title);
        var label = Text(x + (width / 2), boxY + (BoxHeight / 2) + 4, BoxLabel(e), "middle");
        label.Add(new XAttribute("fill", "#ffffff"), new XAttribute("font-size", "10"));
        return new XElement(Svg + "g", box, label);
    }

    private static XElement Axis(double y, double spanMicroseconds)
    {
        var axis = new XElement(Svg + "g", new XAttribute("class", "axis"), Line(Left, y, Left + PlotWidth, y));
        var spanMilliseconds = spanMicroseconds / 1000.0;
        foreach (var tick in TimeAxisTicks.For(spanMilliseconds))
        {
            var x = Left + (tick / spanMilliseconds * PlotWidth);
            axis.Add(Line(x, y, x, y + 5), Text(x, y + 17, N(tick), "middle"));
        }

        axis.Add(Text(Left + (PlotWidth / 2), y + 32, "time (ms)", "middle"));
        return axis;
    }

    private static XElement Legend(double y)
    {
        var legend = new XElement(Svg + "g", new XAttribute("class", "legend"));
        var x = Left;
        foreach (var (category, label) in new[]
        {
            (TimelineCategories.Forward, "forward"),
            (TimelineCategories.Backward, "backward"),
            (TimelineCategories.Gradients, "gradient processors"),
        })
        {
            legend.Add(
                new XElement(
                    Svg + "rect",
                    new XAttribute("class", "legend"),
                    new XAttribute("x", N(x)),
                    new XAttribute("y", N(y - 10)),
                    new XAttribute("width", "12"),
                    new XAttribute("height", "12"),
                    new XAttribute("fill", Colours[category])),
                Text(x + 16, y, label, "start"));
            x += 130;
        }

        foreach (var (category, label) in new[] { (TimelineCategories.Send, "send"), (TimelineCategories.Recv, "receive") })
        {
            var mark = Line(x, y - 4, x + 12, y - 4);
            mark.SetAttributeValue("stroke", Colours[category]);
            mark.SetAttributeValue("stroke-width", "2");
            legend.Add(mark, Text(x + 16, y, label, "start"));
            x += 100;
        }

        return legend;
    }

    private static string Caption(IReadOnlyList<TimelineEvent> oneStep, List<int> replicas, int stages, int microBatches, string schedule)
    {
        // Replicas run their pipelines independently, so the caption gives their mean bubble.
        var measured = replicas
            .Select(r => oneStep.Where(e => e.Replica == r).ToList())
            .Where(events => events.Any(e => TimelineCategories.IsCompute(e.Category)))
            .Select(events => BubbleFraction.Measured(events, stages))
            .DefaultIfEmpty(double.NaN)
            .Average();
        var theoretical = BubbleFraction.Theoretical(stages, microBatches);
        return $"step {oneStep[0].Step} · {stages} stages · {microBatches} micro-batches · schedule {schedule} · "
            + $"measured bubble {Percent(measured)} · theoretical (S−1)/(M+S−1) = {Percent(theoretical)}";
    }

    // "F3" and "B3" show their micro-batch number; other names are shown whole.
    private static string BoxLabel(TimelineEvent e)
    {
        var digits = e.Name.Length - e.Name.AsSpan().TrimEnd("0123456789").Length;
        return digits > 0 ? e.Name[^digits..] : e.Name;
    }

    private static XElement Line(double x1, double y1, double x2, double y2) => new(
        Svg + "line",
        new XAttribute("x1", N(x1)),
        new XAttribute("y1", N(y1)),
        new XAttribute("x2", N(x2)),
        new XAttribute("y2", N(y2)),
        new XAttribute("stroke", "#000000"));

    private static XElement Text(double x, double y, string text, string anchor) => new(
        Svg + "text",
        new XAttribute("x", N(x)),
        new XAttribute("y", N(y)),
        new XAttribute("text-anchor", anchor),
        text);

    private static string Percent(double fraction) =>
        double.IsNaN(fraction) ? "n/a" : (fraction * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static string N(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
