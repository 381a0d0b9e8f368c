namespace DistGrad.Tests.Visualization;

/// <summary>GraphViz.MakeDot: torchviz's picture of a graph, as DOT text and rendered by Graphviz's dot.</summary>
public class GraphVizTests
{
    private static (Tensor X, Tensor Y, Tensor Z) SeedGraph()
    {
        var x = Tensor.Scalar(3f, requiresGrad: true);
        var y = Tensor.Scalar(4f, requiresGrad: true);
        return (x, y, (x + y) * (y - 2));
    }

    [Fact]
    public void DotTextTellsLeavesOutputsAndNodesApart()
    {
        var (x, y, z) = SeedGraph();
        var dot = GraphViz.MakeDot(z, new() { ["x"] = x, ["y"] = y });
        var source = dot.Source;

        Assert.StartsWith("digraph {\n\tgraph [size=\"12,12\"]\n", source);
        Assert.Contains("node [align=left fontname=monospace fontsize=10 height=0.2 ranksep=0.1 shape=box style=filled]", source);

        // The output in green, named leaves in light blue with their size, one box per backward node.
        Assert.Contains("[label=\"\n ()\" fillcolor=darkolivegreen1]", source);
        Assert.Contains("[label=\"x\n ()\" fillcolor=lightblue]", source);
        Assert.Contains("[label=\"y\n ()\" fillcolor=lightblue]", source);
        foreach (var name in new[] { "MulBackward0", "AddBackward0", "SubBackward0" })
        {
            Assert.Single(source.Split('\n'), line => line.Contains($"[label=\"{name}\"]"));
        }

        // torchviz's node set: z, Mul, Add, Sub, two AccumulateGrad, x, y; y's accumulator feeds both Add and Sub.
        Assert.Equal(8, source.Split('\n').Count(line => line.Contains("[label=")));
        Assert.Equal(2, source.Split('\n').Count(line => line.Contains("[label=\"AccumulateGrad\"]")));
        Assert.Equal(8, source.Split('\n').Count(line => line.Contains(" -> ")));
    }

    [Fact]
    public void SavedTensorsAreShownInOrangeWhenAsked()
    {
        var x = Tensor.From(new[] { 1f, 2f }, requiresGrad: true);
        var y = x.Exp();
        var source = GraphViz.MakeDot(y, new() { ["x"] = x }, showSaved: true).Source;

        Assert.Contains("fillcolor=orange", source);
        Assert.Contains("[dir=none]", source);
        Assert.DoesNotContain("orange", GraphViz.MakeDot(y, new() { ["x"] = x }).Source);
    }

    [RequiresProgramFact("dot", "graphviz")]
    public void RendersAPngThroughDot()
    {
        var (x, y, z) = SeedGraph();
        var directory = Directory.CreateTempSubdirectory("distgrad-graphviz");
        var path = Path.Combine(directory.FullName, "graph");

        var picture = GraphViz.MakeDot(z, new() { ["x"] = x, ["y"] = y }).Render(path, format: "png");

        Assert.Equal(path + ".png", picture);
        Assert.Equal(GraphViz.MakeDot(z, new() { ["x"] = x, ["y"] = y }).Source, File.ReadAllText(path));
        var bytes = File.ReadAllBytes(picture);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
        directory.Delete(recursive: true);
    }

    [Fact]
    public void AMissingDotProgramGivesAClearError()
    {
        var (_, _, z) = SeedGraph();
        var directory = Directory.CreateTempSubdirectory("distgrad-graphviz");
        var path = Environment.GetEnvironmentVariable("PATH");
        try
        {
            Environment.SetEnvironmentVariable("PATH", directory.FullName);
            var error = Assert.Throws<InvalidOperationException>(() => GraphViz.MakeDot(z).Render(Path.Combine(directory.FullName, "g"), "png"));
            Assert.Contains("Graphviz's 'dot' program was not found", error.Message);
            Assert.Contains("apt-get install -y graphviz", error.Message);
            Assert.True(File.Exists(Path.Combine(directory.FullName, "g")), "the DOT text is still written");
        }
        finally
        {
            Environment.SetEnvironmentVariable("PATH", path);
            directory.Delete(recursive: true);
        }
    }
}
