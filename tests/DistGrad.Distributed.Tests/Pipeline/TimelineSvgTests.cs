using System.Globalization;
using System.Xml.Linq;
using DistGrad.Distributed.Pipeline;

namespace DistGrad.Distributed.Tests.Pipeline;

public class TimelineSvgTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Fact]
    public void Each_forward_and_backward_is_one_box_labelled_with_its_micro_batch()
    {
        var events = TimelineEvents.GPipeTwoByTwo();

        var svg = XDocument.Parse(TimelineSvg.Render(events, 2, 2, "gpipe"));

        var boxes = svg.Descendants(Svg + "rect").Where(r => (string?)r.Attribute("class") is "forward" or "backward").ToList();
        Assert.Equal(8, boxes.Count);
        Assert.Equal(4, boxes.Count(r => (string?)r.Attribute("class") == "forward"));
        Assert.Equal(2, svg.Descendants(Svg + "rect").Count(r => (string?)r.Attribute("class") == "gradients"));
        var labels = boxes.Select(r => r.ElementsAfterSelf(Svg + "text").Single().Value).Order();
        Assert.Equal(["0", "0", "0", "0", "1", "1", "1", "1"], labels);
    }

    [Fact]
    public void The_caption_sets_the_measured_bubble_beside_the_theoretical_one()
    {
        // Measured: 1/3 (see TimelineEvents.GPipeTwoByTwo). Theoretical for the 8 micro-batches claimed: 1/9.
        var svg = XDocument.Parse(TimelineSvg.Render(TimelineEvents.GPipeTwoByTwo(), 2, 8, "gpipe"));

        Assert.Contains(
            svg.Descendants(Svg + "text"),
            t => t.Value == "step 7 · 2 stages · 8 micro-batches · schedule gpipe · measured bubble 33.3% · theoretical (S−1)/(M+S−1) = 11.1%");
    }

    [Fact]
    public void Numbers_are_written_with_a_decimal_point_under_a_decimal_comma_culture()
    {
        using var culture = new CultureScope("de-DE");
        Assert.Equal("1,5", 1.5.ToString(CultureInfo.CurrentCulture));

        var text = TimelineSvg.Render(TimelineEvents.GPipeTwoByTwo(), 2, 8, "gpipe");

        var svg = XDocument.Parse(text);
        Assert.Contains("measured bubble 33.3%", text);
        Assert.Contains("= 11.1%", text);
        foreach (var attribute in svg.Descendants().Attributes().Where(a => a.Name.LocalName is "x" or "y" or "width" or "height" or "x1" or "x2" or "y1" or "y2"))
        {
            Assert.True(double.TryParse(attribute.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out _), $"{attribute.Name}=\"{attribute.Value}\"");
        }

        // A 0.9 ms span gets ticks every 0.2 ms.
        Assert.Contains(svg.Descendants(Svg + "text"), t => t.Value == "0.2");
        Assert.Contains(svg.Descendants(Svg + "text"), t => t.Value == "0.8");
    }

    [Fact]
    public void Two_replicas_get_a_row_per_stage_each_and_names_are_escaped()
    {
        var events = TimelineEvents.GPipeTwoByTwo(0).Concat(TimelineEvents.GPipeTwoByTwo(1)).ToList();

        var svg = XDocument.Parse(TimelineSvg.Render(events, 2, 2, "<my & schedule>"));

        var texts = svg.Descendants(Svg + "text").Select(t => t.Value).ToList();
        Assert.Contains("replica 0 · stage 1", texts);
        Assert.Contains("replica 1 · stage 0", texts);
        Assert.Contains(texts, t => t.Contains("schedule <my & schedule>", StringComparison.Ordinal));
        Assert.Equal(16, svg.Descendants(Svg + "rect").Count(r => (string?)r.Attribute("class") is "forward" or "backward"));
    }

    [Fact]
    public void Write_saves_the_rendered_document()
    {
        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, "step.svg");

        TimelineSvg.Write(path, TimelineEvents.GPipeTwoByTwo(), 2, 2, "gpipe");

        Assert.Equal(Svg + "svg", XDocument.Load(path).Root!.Name);
    }
}
