using System.Diagnostics;

namespace DistGrad;

/// <summary>Anomaly detection (torch.autograd.detect_anomaly): per thread, like grad mode.</summary>
public static partial class Autograd
{
    [ThreadStatic]
    private static int t_anomalyDepth;

    /// <summary>Whether nodes record their forward call site and backward checks for NaN on this thread.</summary>
    public static bool IsAnomalyEnabled => t_anomalyDepth > 0;

    /// <summary>
    /// Until disposed: every node records where user code created it in forward, and a backward function
    /// that produces NaN throws, naming the node and that forward location.
    /// </summary>
    public static IDisposable DetectAnomaly()
    {
        t_anomalyDepth++;
        return new AnomalyScope();
    }

    /// <summary>The first stack frames outside DistGrad.Core: the user code that called the op.</summary>
    internal static string CaptureForwardSite()
    {
        var core = typeof(Tensor).Assembly;
        var frames = new StackTrace(2, fNeedFileInfo: true).GetFrames()
            .Where(f => f.GetMethod()?.DeclaringType?.Assembly != core)
            .Take(4)
            .Select(f =>
            {
                var method = f.GetMethod();
                var where = f.GetFileName() is { } file ? $" in {file}:line {f.GetFileLineNumber()}" : string.Empty;
                return $"   at {method?.DeclaringType?.FullName}.{method?.Name}(){where}";
            });
        return string.Join(Environment.NewLine, frames);
    }

    private sealed class AnomalyScope : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                t_anomalyDepth--;
            }
        }
    }
}
