using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace DistGrad;

/// <summary>A graph in Graphviz's DOT language: its text, and rendering through the <c>dot</c> program.</summary>
public sealed class Digraph
{
    private readonly List<string> _body = [];

    internal Digraph()
    {
    }

    /// <summary>The DOT text (always available, with or without Graphviz installed).</summary>
    public string Source
    {
        get
        {
            // torchviz's resize_graph: 0.15 inch per statement, at least 12.
            var size = Math.Max(12, _body.Count * 0.15).ToString(CultureInfo.InvariantCulture);
            var sb = new StringBuilder("digraph {\n");
            sb.Append($"\tgraph [size=\"{size},{size}\"]\n");
            sb.Append("\tnode [align=left fontname=monospace fontsize=10 height=0.2 ranksep=0.1 shape=box style=filled]\n");
            foreach (var line in _body)
            {
                sb.Append('\t').Append(line).Append('\n');
            }

            return sb.Append("}\n").ToString();
        }
    }

    internal void Node(string id, string label, string? fillColor = null) =>
        _body.Add($"{id} [label=\"{Escape(label)}\"{(fillColor == null ? string.Empty : $" fillcolor={fillColor}")}]");

    internal void Edge(string from, string to, string? attributes = null) =>
        _body.Add($"{from} -> {to}{(attributes == null ? string.Empty : $" [{attributes}]")}");

    /// <summary>
    /// Writes the DOT text to <paramref name="path"/> and the picture to <paramref name="path"/>.<paramref name="format"/>
    /// (as graphviz.Digraph.render does); returns the picture's path.
    /// </summary>
    public string Render(string path, string format = "pdf")
    {
        if (string.IsNullOrWhiteSpace(format) || !format.All(char.IsLetterOrDigit))
        {
            throw new ArgumentException($"'{format}' is not a Graphviz output format (e.g. png, svg, pdf)", nameof(format));
        }

        File.WriteAllText(path, Source);
        var output = $"{path}.{format}";
        var start = new ProcessStartInfo("dot", ["-Kdot", $"-T{format}", "-o", output, path])
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("could not start Graphviz's dot");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                $"Graphviz's 'dot' program was not found on PATH, so {output} could not be rendered; install Graphviz " +
                $"(apt-get install -y graphviz). The DOT text was written to {path} and is available as Digraph.Source.", e);
        }

        using (process)
        {
            var errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"Graphviz's dot failed to render {output} (exit code {process.ExitCode}): {errors.Trim()}");
            }
        }

        return output;
    }

    private static string Escape(string label) => label.Replace("\\", "\\\\").Replace("\"", "\\\"");
}
