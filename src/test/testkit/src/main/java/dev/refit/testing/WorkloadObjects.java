package dev.refit.testing;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.util.concurrent.ThreadLocalRandom;

/** The objects behind a {@link Workload}: its ReplicaSet, its budget and its pods. */
final class WorkloadObjects {

  // The alphabet Kubernetes uses for generated name suffixes (no vowels, no look-alikes).
  private static final String SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

  private WorkloadObjects() {}

  static ReplicaSet replicaSet(Workload workload) {
    return new ReplicaSetBuilder()
        .withNewMetadata()
        .withName(workload.name())
        .withNamespace(workload.namespace())
        .withLabels(workload.podLabels())
        .endMetadata()
        .withNewSpec()
        .withReplicas(workload.replicas())
        .withNewSelector()
        .withMatchLabels(workload.podLabels())
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(workload.podLabels())
        .endMetadata()
        .withSpec(podSpec(workload, null))
        .endTemplate()
        .endSpec()
        .build();
  }

  static PodDisruptionBudget budget(Workload workload) {
    return new PodDisruptionBudgetBuilder()
        .withNewMetadata()
        .withName(workload.name())
        .withNamespace(workload.namespace())
        .endMetadata()
        .withNewSpec()
        .withMinAvailable(workload.budget().minAvailable())
        .withMaxUnavailable(workload.budget().maxUnavailable())
        .withNewSelector()
        .withMatchLabels(workload.podLabels())
        .endSelector()
        .endSpec()
        .build();
  }

  static Pod pod(Workload workload, ReplicaSet owner, String node, PodStatus status) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(workload.name() + "-" + suffix())
        .withNamespace(workload.namespace())
        .withLabels(workload.podLabels())
        .addNewOwnerReference()
        .withApiVersion("apps/v1")
        .withKind("ReplicaSet")
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .endOwnerReference()
        .endMetadata()
        .withSpec(podSpec(workload, node))
        .withStatus(status)
        .build();
  }

  private static PodSpec podSpec(Workload workload, String node) {
    PodSpecBuilder spec =
        new PodSpecBuilder()
            .withNodeName(node)
            .withRestartPolicy("Always")
            .withSchedulerName("default-scheduler")
            .withTerminationGracePeriodSeconds(workload.terminationGraceSeconds())
            .withNodeSelector(workload.nodeSelector().isEmpty() ? null : workload.nodeSelector())
            .addNewContainer()
            .withName("app")
            .withImage("registry.example.com/" + workload.name() + ":1.0")
            .endContainer();
    if (workload.emptyDir()) {
      spec.addNewVolume()
          .withName("scratch")
          .withNewEmptyDir()
          .endEmptyDir()
          .endVolume()
          .editFirstContainer()
          .addNewVolumeMount()
          .withName("scratch")
          .withMountPath("/scratch")
          .endVolumeMount()
          .endContainer();
    }
    return spec.build();
  }

  private static String suffix() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    StringBuilder suffix = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      suffix.append(SUFFIX_ALPHABET.charAt(random.nextInt(SUFFIX_ALPHABET.length())));
    }
    return suffix.toString();
  }
}
