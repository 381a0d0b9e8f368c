using DistGrad.Distributed.Cli;
using k8s.Models;

namespace DistGrad.Distributed.Tests.Kubernetes;

/// <summary>
/// The job fits the cluster the manifests run: a standby coordinator trains exactly what the coordinator
/// trains; the workers give enough slots for --data-parallel × --pipeline-stages; the run directory is on one
/// ReadWriteMany claim every coordinator and worker mounts writable, and the dataset directory on one they all mount.
/// </summary>
internal static class JobLayoutChecks
{
    public const string GpuResource = "nvidia.com/gpu";

    public static IEnumerable<string> Problems(RenderedManifests manifests)
    {
        var lines = ContainerCommandLine.All(manifests);
        var workers = lines.Where(l => l.Command == "worker").ToList();
        var coordinators = new List<(ContainerCommandLine Line, TrainOptions Options)>();
        foreach (var line in lines.Where(l => l.Command == "train"))
        {
            if (!ContainerCommandLine.TryParse(line.ParseTrain, out var options, out var error))
            {
                yield return $"{line}: the layout cannot be checked, its options do not parse: {error}";
                yield break;
            }

            coordinators.Add((line, options));
        }

        if (coordinators.Count(c => !c.Options.Standby) != 1)
        {
            yield return $"there are {coordinators.Count(c => !c.Options.Standby)} coordinators (train without --standby), not one";
        }

        foreach (var (standby, options) in coordinators.Where(c => c.Options.Standby))
        {
            var job = TrainOptionsParser.Describe(options with { Standby = false });
            if (!coordinators.Any(c => !c.Options.Standby && TrainOptionsParser.Describe(c.Options) == job))
            {
                yield return $"{standby} (--standby) does not train what the coordinator trains: a standby takes over only the same job and --out";
            }
        }

        var slots = 0;
        foreach (var worker in workers)
        {
            if (!ContainerCommandLine.TryParse(worker.ParseWorker, out var options, out var error))
            {
                yield return $"{worker}: the slots cannot be counted, its options do not parse: {error}";
                continue;
            }

            // auto: a worker per CUDA device the pod is given (one CPU worker without any).
            var perPod = worker.RawOption("--devices") == "auto" ? Math.Max(1, GpuLimit(worker.Container)) : options.Slots;
            slots += perPod * worker.Workload.Pods;
        }

        foreach (var (line, options) in coordinators)
        {
            var needed = options.Spec.DataParallel * options.Spec.PipelineStages;
            if (needed > slots)
            {
                yield return $"{line} needs {needed} worker slots (--data-parallel × --pipeline-stages), the worker pods give {slots}";
            }

            foreach (var problem in SharedDirectory(line, workers, options.OutputDirectory, "--out", writable: true))
            {
                yield return problem;
            }

            foreach (var problem in SharedDirectory(line, workers, options.Spec.DataDirectory, "--data-dir", writable: false))
            {
                yield return problem;
            }
        }
    }

    /// <summary>The GPUs a container's limits give it (0: none).</summary>
    public static int GpuLimit(V1Container container) =>
        container.Resources?.Limits?.TryGetValue(GpuResource, out var quantity) == true ? quantity.ToInt32() : 0;

    private static IEnumerable<string> SharedDirectory(ContainerCommandLine coordinator, IReadOnlyList<ContainerCommandLine> workers, string? path, string option, bool writable)
    {
        if (path == null || !path.StartsWith('/'))
        {
            yield return $"{coordinator} gives no absolute {option} (the default is relative to the image's read-only /app)";
            yield break;
        }

        var claim = VolumeChecks.ClaimHolding(coordinator.Workload, coordinator.Container, path, writable);
        if (claim == null)
        {
            yield return $"{coordinator}'s {option} {path} is on no {(writable ? "writable " : string.Empty)}PersistentVolumeClaim mount";
            yield break;
        }

        foreach (var worker in workers.Where(w => VolumeChecks.ClaimHolding(w.Workload, w.Container, path, writable) != claim))
        {
            yield return $"{worker} does not mount claim {claim}{(writable ? " writable" : string.Empty)} where {coordinator}'s {option} {path} is";
        }
    }
}
