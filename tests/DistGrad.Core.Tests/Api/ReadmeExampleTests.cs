namespace DistGrad.Tests.Api;

/// <summary>README.md's first example, line for line; its printed lines must be what the README shows.</summary>
public class ReadmeExampleTests
{
    [Fact]
    public void FirstGradientPrintsWhatTheReadmeShows()
    {
        var printed = new StringWriter();
        var console = Console.Out;
        Console.SetOut(printed);
        try
        {
            var x = Tensor.Scalar(3f, requiresGrad: true);
            var y = Tensor.Scalar(4f, requiresGrad: true);
            var z = (x + y) * (y - 2);
            Console.WriteLine(z);
            Console.WriteLine(z.GradFn!.Name);

            z.Backward();
            Console.WriteLine(x.Grad);
            Console.WriteLine(y.Grad);

            var v = Tensor.From(new[] { 1f, 2f }, requiresGrad: true);
            (v * 2).Backward(gradient: Tensor.From(new[] { 0.1f, 0.5f }));
            Console.WriteLine(v.Grad);

            var t = Tensor.Scalar(2f, requiresGrad: true);
            var dt = Autograd.Grad(t.Pow(3), t, createGraph: true)!;
            Console.WriteLine(Autograd.Grad(dt, t));
        }
        finally
        {
            Console.SetOut(console);
        }

        var expected = ReadmeComments();
        Assert.Equal(expected, printed.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>The "// value" comments of the README's Console.WriteLine lines, in order.</summary>
    private static string[] ReadmeComments()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory != null && !File.Exists(Path.Combine(directory.FullName, "README.md")))
        {
            directory = directory.Parent;
        }

        var readme = File.ReadAllLines(Path.Combine(directory!.FullName, "README.md"));
        return readme
            .Where(line => line.TrimStart().StartsWith("Console.WriteLine(", StringComparison.Ordinal) && line.Contains("//"))
            .Select(line => line[(line.IndexOf("//", StringComparison.Ordinal) + 2)..].Trim())
            .ToArray();
    }
}
