using DistGrad.Distributed.Security;
using k8s.Models;

namespace DistGrad.Distributed.Tests.Kubernetes;

/// <summary>
/// Each overlay of k8s/ as <c>kubectl apply -k</c> would send it, loaded strictly into the Kubernetes models and
/// checked for what a cluster would only reveal at run time: selectors that find no pods, ports and probes that
/// miss the management endpoint, options the program rejects or ignores, missing RBAC, volumes and claims.
/// </summary>
public class KustomizeOverlayTests
{
    [RequiresProgramTheory(Overlays.Kubectl, Overlays.KubectlPackage)]
    [MemberData(nameof(Overlays.Names), MemberType = typeof(Overlays))]
    public void The_overlay_renders_the_objects_of_a_DistGrad_cluster_all_in_one_namespace(string overlay)
    {
        var manifests = Overlays.Load(overlay);

        Assert.All(manifests.All, o => Assert.Equal(Overlays.Namespace, o.Metadata.NamespaceProperty));
        manifests.Named<V1ServiceAccount>("distgrad");
        manifests.Named<V1Role>("distgrad-pod-reader");
        manifests.Named<V1RoleBinding>("distgrad-pod-reader");
        manifests.Named<V1ConfigMap>("distgrad-config");
        manifests.Named<V1PodDisruptionBudget>("distgrad-worker");
        var service = manifests.Named<V1Service>("distgrad");
        Assert.Equal("None", service.Spec.ClusterIP);
        Assert.True(service.Spec.PublishNotReadyAddresses, "the headless Service must publish not-ready pods: they are ready only after discovery found them");
        Assert.Contains(service.Spec.Ports, p => p.Name == PortAndProbeChecks.ManagementPortName);
        foreach (var claim in new[] { "distgrad-runs", "distgrad-data" })
        {
            Assert.Contains(VolumeChecks.ReadWriteMany, manifests.Named<V1PersistentVolumeClaim>(claim).Spec.AccessModes);
        }

        var workers = manifests.Named<V1StatefulSet>("distgrad-worker");
        Assert.Equal(3, workers.Spec.Replicas);
        Assert.Equal("Parallel", workers.Spec.PodManagementPolicy);
        Assert.Equal(2, manifests.OfKind<V1Job>().Count());
        Assert.Equal("distgrad:0.1.0", Assert.Single(manifests.Workloads.SelectMany(w => w.Spec.Containers).Select(c => c.Image).Distinct()));
    }

    [RequiresProgramTheory(Overlays.Kubectl, Overlays.KubectlPackage)]
    [MemberData(nameof(Overlays.Names), MemberType = typeof(Overlays))]
    public void Every_pod_is_labelled_part_of_distgrad_with_its_component(string overlay)
    {
        var manifests = Overlays.Load(overlay);

        Assert.All(manifests.Workloads, w =>
        {
            Assert.Equal("distgrad", w.Labels["app.kubernetes.io/part-of"]);
            var component = w.Labels["app.kubernetes.io/component"];
            var command = ContainerCommandLine.Of(w, Assert.Single(w.Spec.Containers), manifests).Command;
            Assert.Equal(command == "worker" ? "worker" : "coordinator", component);
        });
    }

    [RequiresProgramTheory(Overlays.Kubectl, Overlays.KubectlPackage)]
    [MemberData(nameof(Overlays.Names), MemberType = typeof(Overlays))]
    public void Every_selector_finds_pods_it_is_meant_for(string overlay) =>
        Overlays.AssertNone(SelectorChecks.Problems(Overlays.Load(overlay)), overlay);

    [RequiresProgramTheory(Overlays.Kubectl, Overlays.KubectlPackage)]
    [MemberData(nameof(Overlays.Names), MemberType = typeof(Overlays))]
    public void Container_ports_probes_and_service_ports_agree_with_the_ports_the_program_is_given(string overlay) =>
        Overlays.AssertNone(PortAndProbeChecks.Problems(Overlays.Load(overlay)), overlay);

    [RequiresProgramTheory(Overlays.Kubectl, Overlays.KubectlPackage)]
    [MemberData(nameof(Overlays.Names), MemberType = typeof(Overlays))]
    public void Workers_have_startup_liveness_and_readiness_probes(string overlay)
    {
        var workers = Overlays.Load(overlay).Named<V1StatefulSet>("distgrad-worker");

        Assert.All(workers.Spec.Template.Spec.Containers, c =>
        {
            Assert.NotNull(c.StartupProbe);
            Assert.NotNull(c.LivenessProbe);
            Assert.NotNull(c.ReadinessProbe);
        });
    }

    [RequiresProgramTheory(Overlays.Kubectl, Overlays.KubectlPackage)]
    [MemberData(nameof(Overlays.Names), MemberType = typeof(Overlays))]
    public void Every_pod_s_service_account_may_list_the_pods_discovery_looks_for(string overlay) =>
        Overlays.AssertNone(RbacChecks.Problems(Overlays.Load(overlay)), overlay);

    [RequiresProgramTheory(Overlays.Kubectl, Overlays.KubectlPackage)]
    [MemberData(nameof(Overlays.Names), MemberType = typeof(Overlays))]
    public void Every_container_s_args_and_variables_parse_and_form_one_cluster_at_the_pods_IPs(string overlay) =>
        Overlays.AssertNone(CommandLineChecks.Problems(Overlays.Load(overlay)), overlay);

    [RequiresProgramTheory(Overlays.Kubectl, Overlays.KubectlPackage)]
    [MemberData(nameof(Overlays.Names), MemberType = typeof(Overlays))]
    public void Every_variable_a_container_is_given_is_an_option_of_its_command_or_a_DOTNET_setting(string overlay) =>
        Overlays.AssertNone(EnvironmentChecks.Problems(Overlays.Load(overlay)), overlay);

    [RequiresProgramTheory(Overlays.Kubectl, Overlays.KubectlPackage)]
    [MemberData(nameof(Overlays.Names), MemberType = typeof(Overlays))]
    public void Mounts_name_volumes_and_claims_name_ReadWriteMany_claims_of_the_manifests(string overlay) =>
        Overlays.AssertNone(VolumeChecks.Problems(Overlays.Load(overlay)), overlay);

    [RequiresProgramTheory(Overlays.Kubectl, Overlays.KubectlPackage)]
    [MemberData(nameof(Overlays.Names), MemberType = typeof(Overlays))]
    public void Every_container_runs_non_root_on_a_read_only_root_filesystem_within_limits(string overlay) =>
        Overlays.AssertNone(SecurityChecks.Problems(Overlays.Load(overlay)), overlay);

    [RequiresProgramTheory(Overlays.Kubectl, Overlays.KubectlPackage)]
    [MemberData(nameof(Overlays.Names), MemberType = typeof(Overlays))]
    public void The_job_fits_the_workers_and_the_standby_trains_it_in_the_same_shared_run_directory(string overlay) =>
        Overlays.AssertNone(JobLayoutChecks.Problems(Overlays.Load(overlay)), overlay);

    [RequiresProgramTheory(Overlays.Kubectl, Overlays.KubectlPackage)]
    [MemberData(nameof(Overlays.Names), MemberType = typeof(Overlays))]
    public void Coordinator_Jobs_are_never_retried_by_Kubernetes_and_every_pod_has_time_to_stop_on_SIGTERM(string overlay)
    {
        var manifests = Overlays.Load(overlay);

        // DistGrad recovers itself (checkpoints, the standby); a new pod would start the job again from step 0.
        Assert.All(manifests.OfKind<V1Job>(), job =>
        {
            Assert.Equal(0, job.Spec.BackoffLimit);
            Assert.Equal("Never", job.Spec.Template.Spec.RestartPolicy);
        });
        Assert.All(manifests.Workloads, w => Assert.True(w.Spec.TerminationGracePeriodSeconds >= 30, $"{w} gives {w.Spec.TerminationGracePeriodSeconds} s to stop"));
    }

    [RequiresProgramTheory(Overlays.Kubectl, Overlays.KubectlPackage)]
    [MemberData(nameof(Overlays.Names), MemberType = typeof(Overlays))]
    public void Every_node_runs_mutual_TLS_from_the_files_of_the_mounted_Secret(string overlay)
    {
        var manifests = Overlays.Load(overlay);

        Assert.All(manifests.Workloads, w =>
        {
            var mount = Assert.Single(w.Spec.Containers.SelectMany(c => c.VolumeMounts ?? []), m => m.MountPath == "/etc/distgrad/tls");
            Assert.True(mount.ReadOnlyProperty, $"{w} mounts the TLS material writable");
            var secret = Assert.Single(w.Spec.Volumes, v => v.Name == mount.Name).Secret;
            Assert.Equal("distgrad-tls", secret?.SecretName);
            Assert.True(secret?.Optional != true, $"{w} would start without Secret distgrad-tls, and fail");
        });
        Assert.All(ContainerCommandLine.All(manifests), line =>
        {
            var tls = line.Command == "train" ? line.ParseTrain().Tls : line.ParseWorker().Tls;
            Assert.False(tls.Insecure, $"{line} runs --insecure");
            Assert.Null(tls.Problem());

            // A Secret volume holds one file per key, named as the key: the README's kubectl create secret --from-file=KEY=…
            // must give every file a node reads, under the names `coordinator certs` writes.
            Assert.True(OperatorSecrets.FromReadme().TryGetValue("distgrad-tls", out var keys), "the README does not create Secret distgrad-tls");
            foreach (var file in new[] { tls.Certificate, tls.Key, tls.Authority })
            {
                Assert.Equal("/etc/distgrad/tls", Path.GetDirectoryName(file));
                Assert.Contains(Path.GetFileName(file) ?? "", keys);
                Assert.Contains(Path.GetFileName(file), new[] { CertificateFiles.Certificate, CertificateFiles.Key, CertificateFiles.Authority });
            }
        });
    }

    [RequiresProgramTheory(Overlays.Kubectl, Overlays.KubectlPackage)]
    [MemberData(nameof(Overlays.Names), MemberType = typeof(Overlays))]
    public void The_pods_run_as_the_image_s_user_on_ports_the_image_exposes(string overlay)
    {
        var manifests = Overlays.Load(overlay);
        var image = DockerfileTests.Load("Dockerfile");

        Assert.Equal(DockerfileTests.NumericUser(image), SecurityChecks.RunAsUser(manifests));
        var exposed = image.Final.ExposedPorts();
        var declared = manifests.Workloads.SelectMany(w => w.Spec.Containers).SelectMany(c => c.Ports ?? []).Select(p => p.ContainerPort).Distinct();
        Assert.All(declared, port => Assert.Contains(port, exposed));
    }

    [RequiresProgramFact(Overlays.Kubectl, Overlays.KubectlPackage)]
    public void The_gpu_overlay_gives_each_worker_pod_a_GPU_on_a_GPU_node_and_lets_it_use_every_one_it_sees()
    {
        var manifests = Overlays.Load("gpu");
        var workers = ContainerCommandLine.All(manifests).Where(l => l.Command == "worker").ToList();

        Assert.NotEmpty(workers);
        Assert.All(workers, worker =>
        {
            Assert.Equal("auto", worker.RawOption("--devices"));
            Assert.True(JobLayoutChecks.GpuLimit(worker.Container) >= 1, $"{worker} has no {JobLayoutChecks.GpuResource} limit");
            var spec = worker.Workload.Spec;
            Assert.Contains(spec.Tolerations ?? [], t => t.Key == JobLayoutChecks.GpuResource);
            Assert.Contains(spec.NodeSelector ?? new Dictionary<string, string>(), s => s.Key.StartsWith("nvidia.com/", StringComparison.Ordinal));
        });
        Assert.All(ContainerCommandLine.All(manifests).Where(l => l.Command == "train"), c => Assert.Equal(0, JobLayoutChecks.GpuLimit(c.Container)));
    }

    [RequiresProgramFact(Overlays.Kubectl, Overlays.KubectlPackage)]
    public void The_cpu_overlay_runs_CPU_workers_and_asks_for_no_GPU()
    {
        var manifests = Overlays.Load("cpu");
        var lines = ContainerCommandLine.All(manifests);

        Assert.All(lines.Where(l => l.Command == "worker"), worker => Assert.Equal("cpu", worker.RawOption("--devices")));
        Assert.All(lines, line => Assert.Equal(0, JobLayoutChecks.GpuLimit(line.Container)));
    }
}
