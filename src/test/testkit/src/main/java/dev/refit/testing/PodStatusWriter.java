package dev.refit.testing;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import java.util.function.Function;

/**
 * Writes pod statuses the way a kubelet does, guarded by resourceVersion. The guard matters: the
 * mock server treats any write to a pod that carries a deletionTimestamp as its final deletion, so
 * a status write must never race with an eviction that just marked the pod terminating.
 */
final class PodStatusWriter {

  private static final int ATTEMPTS = 3;

  private final KubernetesClient client;

  PodStatusWriter(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Replaces the pod's status with {@code change} applied to the current pod. Does nothing to a
   * missing or terminating pod (returns false then).
   */
  boolean update(String namespace, String name, Function<Pod, PodStatus> change) {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Pod pod = client.pods().inNamespace(namespace).withName(name).get();
      if (pod == null || PdbOracle.isTerminating(pod)) {
        return false;
      }
      PodStatus next = change.apply(pod);
      if (next.equals(pod.getStatus())) {
        return true;
      }
      Map<String, Object> patch =
          Map.of(
              "metadata",
              Map.of("resourceVersion", pod.getMetadata().getResourceVersion()),
              "status",
              next);
      try {
        // resource(pod): the client needs no GET to address the patch.
        client
            .pods()
            .resource(pod)
            .subresource("status")
            .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(patch));
        return true;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 && e.getCode() != 404) {
          throw e;
        }
        // Someone else wrote the pod in between: judge again from its new state.
      }
    }
    return false;
  }
}
