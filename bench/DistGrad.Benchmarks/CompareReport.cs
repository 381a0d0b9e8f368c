using System.Globalization;
using System.Text;

namespace DistGrad.Benchmarks;

/// <summary>
/// Joins DistGrad's and PyTorch's measurements by workload name and prints a markdown table of the two,
/// their ratio (DistGrad / PyTorch) and which side is better by how much.
/// </summary>
internal static class CompareReport
{
    public static int Run(string distgradPath, string pytorchPath)
    {
        Console.Write(Render(Measurement.ReadAll(distgradPath), Measurement.ReadAll(pytorchPath)));
        return 0;
    }

    public static string Render(IReadOnlyList<Measurement> distgrad, IReadOnlyList<Measurement> pytorch)
    {
        // The last figure of a workload wins, so a file that a rerun appended to reports the rerun.
        var ours = LastByWorkload(distgrad);
        var theirs = LastByWorkload(pytorch);
        // PyTorch's file lists workloads in suite order (BenchmarkDotNet's joined summary does not), so it leads.
        var names = theirs.Keys.Concat(ours.Keys.Where(k => !theirs.ContainsKey(k)));

        var table = new StringBuilder();
        table.AppendLine("| workload | DistGrad | PyTorch 1.13 | DistGrad / PyTorch | better |");
        table.AppendLine("| --- | ---: | ---: | ---: | --- |");
        foreach (var name in names)
        {
            ours.TryGetValue(name, out var d);
            theirs.TryGetValue(name, out var p);
            var unit = (d ?? p)!.Unit;
            table.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {Format(d, name)} | {Format(p, name)} | {Ratio(d, p)} | {Verdict(d, p)} |"));
        }

        table.AppendLine();
        table.AppendLine("Ratio below 1: DistGrad takes less time or memory; for throughput (samples/s) above 1 is DistGrad ahead.");
        return table.ToString();
    }

    private static Dictionary<string, Measurement> LastByWorkload(IReadOnlyList<Measurement> measurements)
    {
        var byName = new Dictionary<string, Measurement>();
        foreach (var m in measurements)
        {
            byName.Remove(m.Workload);
            byName.Add(m.Workload, m);
        }

        return byName;
    }

    private static string Ratio(Measurement? d, Measurement? p) =>
        d != null && p != null && p.Value != 0 ? (d.Value / p.Value).ToString("F2", CultureInfo.InvariantCulture) : "–";

    private static string Verdict(Measurement? d, Measurement? p)
    {
        if (d == null || p == null || d.Value <= 0 || p.Value <= 0)
        {
            return "–";
        }

        var distgradAhead = d.HigherIsBetter ? d.Value > p.Value : d.Value < p.Value;
        var factor = Math.Max(d.Value, p.Value) / Math.Min(d.Value, p.Value);
        var what = d.Unit == "MiB" ? "less memory" : "faster";
        return string.Create(CultureInfo.InvariantCulture, $"{(distgradAhead ? "DistGrad" : "PyTorch")} {factor:F1}× {what}");
    }

    private static string Format(Measurement? m, string workload)
    {
        if (m == null)
        {
            return "–";
        }

        var text = m.Unit == "ns" ? Duration(m.Value) : string.Create(CultureInfo.InvariantCulture, $"{m.Value:#,0.##} {m.Unit}");

        // The chain's total in nanoseconds over its 1,000 ops: the per-op overhead the issue targets.
        return workload.StartsWith("autograd chain", StringComparison.Ordinal) && m.Unit == "ns"
            ? string.Create(CultureInfo.InvariantCulture, $"{text} ({m.Value / AutogradChain.Ops / 1000:F2} µs/op)")
            : text;
    }

    private static string Duration(double nanoseconds) => nanoseconds switch
    {
        < 1e3 => string.Create(CultureInfo.InvariantCulture, $"{nanoseconds:F0} ns"),
        < 1e6 => string.Create(CultureInfo.InvariantCulture, $"{nanoseconds / 1e3:F1} µs"),
        < 1e9 => string.Create(CultureInfo.InvariantCulture, $"{nanoseconds / 1e6:F2} ms"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{nanoseconds / 1e9:F2} s"),
    };
}
