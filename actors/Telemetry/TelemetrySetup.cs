using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace DistGrad.Distributed.Telemetry;

/// <summary>Turns on the exporter chosen by --telemetry (coordinator and node-host) for DistGrad's spans and metrics.</summary>
public static class TelemetrySetup
{
    /// <summary>The providers to dispose at exit (flushing them), or nothing for "none".</summary>
    public static IReadOnlyList<IDisposable> Start(string exporter, string? otlpEndpoint)
    {
        if (exporter == "none")
        {
            return [];
        }

        var tracing = Sdk.CreateTracerProviderBuilder().AddSource([.. DistGradTelemetry.SourceNames]);
        var metrics = Sdk.CreateMeterProviderBuilder().AddMeter(DistGradTelemetry.MeterName);
        if (exporter == "console")
        {
            tracing.AddConsoleExporter();
            metrics.AddConsoleExporter();
        }
        else
        {
            var endpoint = new Uri(otlpEndpoint ?? "http://localhost:4317");
            tracing.AddOtlpExporter(o => o.Endpoint = endpoint);
            metrics.AddOtlpExporter(o => o.Endpoint = endpoint);
        }

        return [tracing.Build(), metrics.Build()];
    }
}
