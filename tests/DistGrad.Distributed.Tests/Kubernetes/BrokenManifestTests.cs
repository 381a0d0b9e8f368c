using k8s.Models;

namespace DistGrad.Distributed.Tests.Kubernetes;

/// <summary>
/// The checks catch what they are for: the cpu overlay, loaded and then broken in memory one way at a time, makes
/// the check for that mistake report it (and only a check that can fail proves anything when it passes).
/// </summary>
public class BrokenManifestTests
{
    [RequiresProgramFact(Overlays.Kubectl, Overlays.KubectlPackage)]
    public void A_disruption_budget_whose_selector_matches_no_pod_is_reported()
    {
        var manifests = Overlays.Load("cpu");
        Assert.Empty(SelectorChecks.Problems(manifests));

        manifests.Named<V1PodDisruptionBudget>("distgrad-worker").Spec.Selector.MatchLabels["app.kubernetes.io/component"] = "wrker";

        Assert.Contains(SelectorChecks.Problems(manifests), p => p.StartsWith("PodDisruptionBudget distgrad-worker's selector", StringComparison.Ordinal));
    }

    [RequiresProgramFact(Overlays.Kubectl, Overlays.KubectlPackage)]
    public void A_readiness_probe_on_another_port_than_the_management_port_is_reported()
    {
        var manifests = Overlays.Load("cpu");
        var worker = manifests.Named<V1StatefulSet>("distgrad-worker").Spec.Template.Spec.Containers[0];

        worker.ReadinessProbe.HttpGet.Port = "remoting";

        Assert.Contains(PortAndProbeChecks.Problems(manifests), p => p.Contains("readinessProbe probes port 'remoting'", StringComparison.Ordinal));
    }

    [RequiresProgramFact(Overlays.Kubectl, Overlays.KubectlPackage)]
    public void A_role_that_cannot_list_pods_is_reported()
    {
        var manifests = Overlays.Load("cpu");

        manifests.Named<V1Role>("distgrad-pod-reader").Rules[0].Verbs = ["get", "watch"];

        Assert.Contains(RbacChecks.Problems(manifests), p => p.Contains("bound to no Role that allows list on pods", StringComparison.Ordinal));
    }

    [RequiresProgramFact(Overlays.Kubectl, Overlays.KubectlPackage)]
    public void A_ConfigMap_key_that_is_no_option_and_an_option_for_the_other_command_are_reported()
    {
        var manifests = Overlays.Load("cpu");
        var shared = manifests.Named<V1ConfigMap>("distgrad-config").Data;

        shared["DISTGRAD_BATCHSIZE"] = "64"; // a typo the program would ignore
        shared["DISTGRAD_BATCH_SIZE"] = "64"; // train's option, which the workers do not have

        var problems = EnvironmentChecks.Problems(manifests).ToList();
        Assert.Contains(problems, p => p.Contains("Job distgrad-coordinator", StringComparison.Ordinal) && p.Contains("DISTGRAD_BATCHSIZE", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("StatefulSet distgrad-worker", StringComparison.Ordinal) && p.Contains("DISTGRAD_BATCH_SIZE", StringComparison.Ordinal));
        Assert.DoesNotContain(problems, p => p.Contains("Job distgrad-coordinator", StringComparison.Ordinal) && p.Contains("DISTGRAD_BATCH_SIZE ", StringComparison.Ordinal));
    }

    [RequiresProgramFact(Overlays.Kubectl, Overlays.KubectlPackage)]
    public void A_standby_with_another_run_directory_is_reported()
    {
        var manifests = Overlays.Load("cpu");
        var standby = manifests.Named<V1Job>("distgrad-standby").Spec.Template.Spec.Containers[0];

        standby.Env.Add(new V1EnvVar { Name = "DISTGRAD_OUT", Value = "/runs/elsewhere" });

        Assert.Contains(JobLayoutChecks.Problems(manifests), p => p.Contains("does not train what the coordinator trains", StringComparison.Ordinal));
    }

    [RequiresProgramFact(Overlays.Kubectl, Overlays.KubectlPackage)]
    public void A_required_Secret_that_no_one_creates_is_reported()
    {
        var manifests = Overlays.Load("cpu");
        Assert.Empty(VolumeChecks.Problems(manifests));
        var tls = manifests.Named<V1StatefulSet>("distgrad-worker").Spec.Template.Spec.Volumes.Single(v => v.Secret != null).Secret;

        tls.SecretName = "distgrad-certs";
        Assert.Contains(VolumeChecks.Problems(manifests), p => p.Contains("needs Secret 'distgrad-certs', which neither these manifests nor the README", StringComparison.Ordinal));

        tls.SecretName = "distgrad-tls";
        tls.Items = [new V1KeyToPath { Key = "tls.pem", Path = "tls.crt" }];
        Assert.Contains(VolumeChecks.Problems(manifests), p => p.Contains("reads key 'tls.pem' of Secret 'distgrad-tls'", StringComparison.Ordinal));
    }

    [Fact]
    public void A_field_the_model_does_not_have_fails_the_load()
    {
        const string misspelt = """
            apiVersion: apps/v1
            kind: StatefulSet
            metadata:
              name: distgrad-worker
            spec:
              replica: 3
            """;

        Assert.ThrowsAny<Exception>(() => StrictManifestLoader.LoadOne(misspelt));
    }
}
