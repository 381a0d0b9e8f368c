using System.Diagnostics;
using System.Globalization;

namespace DistGrad.Benchmarks;

/// <summary>The process's peak resident set: Linux's VmHWM (what bench/reference/epoch.py reads too), else the runtime's peak working set.</summary>
internal static class PeakMemory
{
    public static double Mebibytes()
    {
        const string status = "/proc/self/status";
        if (File.Exists(status))
        {
            foreach (var line in File.ReadLines(status))
            {
                // "VmHWM:    123456 kB"
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    var kilobytes = long.Parse(line["VmHWM:".Length..].Replace("kB", string.Empty, StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);
                    return kilobytes / 1024.0;
                }
            }
        }

        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64 / (1024.0 * 1024.0);
    }
}
