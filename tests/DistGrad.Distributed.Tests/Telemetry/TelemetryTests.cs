using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using DistGrad.Distributed.Telemetry;
using DistGrad.Distributed.Tests.Cluster;
using DistGrad.Distributed.Tests.Training;

namespace DistGrad.Distributed.Tests.Telemetry;

/// <summary>Spans for step, forward, backward, each gradient processor and each collective; metrics for bytes and norms.</summary>
[Collection(ClusterCollection.Name)]
public class TelemetryTests
{
    [Fact]
    public void A_data_parallel_step_emits_spans_for_its_parts_and_metrics_for_bytes_and_samples()
    {
        var spans = new ConcurrentBag<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == DistGradTelemetry.WorkerSourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = a => spans.Add(a.OperationName),
        };
        ActivitySource.AddActivityListener(listener);
        var measurements = new ConcurrentDictionary<string, long>();
        using var meters = new MeterListener();
        meters.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == DistGradTelemetry.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        meters.SetMeasurementEventCallback<long>((instrument, value, _, _) => measurements.AddOrUpdate(instrument.Name, value, (_, v) => v + value));
        meters.Start();

        LocalReplicas.Run(new JobSpec { BatchSize = 32, DataParallel = 2, ClipGradNorm = 1.0 }, 1);

        foreach (var name in new[] { "step", "forward", "backward", "broadcast", "allreduce", "gradients Accumulate(1)", "gradients AllReduce(data-parallel)", "gradients GlobalNormClip(1, 2)", "gradients OptimizerStep" })
        {
            Assert.Contains(name, spans);
        }

        // A ring all-reduce over n ranks sends 2(n-1)/n of the buffer from each rank: with n = 2, the whole gradient
        // (784·256 + 256 + 256·128 + 128 + 128·10 + 10 floats) per rank, so twice that from both (frame headers aside).
        const long gradientBytes = ((784 * 256) + 256 + (256 * 128) + 128 + (128 * 10) + 10) * sizeof(float);
        Assert.InRange(measurements["distgrad.allreduce.bytes"], 2 * gradientBytes, 2 * gradientBytes * 101 / 100);
        Assert.Equal(32, measurements["distgrad.samples"]);
    }
}
