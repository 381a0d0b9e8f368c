namespace DistGrad.Tests.Visualization;

/// <summary>
/// docs/images/seed-graph (DOT text) and seed-graph.png are made by GraphViz.MakeDot on the seed's first graph. This test
/// keeps the committed DOT text equal to what the code makes; DISTGRAD_UPDATE_DOCS=1 rewrites both files.
/// </summary>
public class DocsPictureTests
{
    [Fact]
    public void CommittedPictureIsWhatTheCodeDraws()
    {
        var x = Tensor.Scalar(3f, requiresGrad: true);
        var y = Tensor.Scalar(4f, requiresGrad: true);
        var z = (x + y) * (y - 2);
        var dot = GraphViz.MakeDot(z, new() { ["x"] = x, ["y"] = y });

        var images = Path.Combine(RepositoryRoot(), "docs", "images");
        var path = Path.Combine(images, "seed-graph");
        if (Environment.GetEnvironmentVariable("DISTGRAD_UPDATE_DOCS") == "1")
        {
            dot.Render(path, format: "png");
        }

        Assert.Equal(dot.Source, File.ReadAllText(path));
        Assert.True(File.Exists(path + ".png"));
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory != null && !File.Exists(Path.Combine(directory.FullName, "DistGrad.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("DistGrad.sln not found above the test binaries");
    }
}
