package dev.refit.system;

import dev.refit.api.Condition;
import dev.refit.api.OSNode;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.api.RefitApi;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Waits (on a watch) for a policy on a real cluster to be Ready for a given generation of its spec,
 * and when it is not in time, fails with what a person would look at: the policy's status, the
 * OSNodes, and the end of the Refit pods' logs.
 */
final class RolloutWait {

  private static final int LOG_LINES = 40;

  private RolloutWait() {}

  /** The policy once its Ready condition is True for this generation of its spec. */
  static OSUpdatePolicy awaitReady(
      KubernetesClient client, String policy, long generation, long minutes, String namespace) {
    try {
      return client
          .resources(OSUpdatePolicy.class)
          .withName(policy)
          .waitUntilCondition(p -> readyFor(p, generation), minutes, TimeUnit.MINUTES);
    } catch (KubernetesClientTimeoutException e) {
      throw new AssertionError(
          "policy "
              + policy
              + " is not Ready for generation "
              + generation
              + " after "
              + minutes
              + " minutes\n"
              + diagnostics(client, policy, namespace),
          e);
    }
  }

  private static boolean readyFor(OSUpdatePolicy policy, long generation) {
    if (policy == null || policy.getStatus() == null) {
      return false;
    }
    Condition ready = policy.getStatus().condition(RefitApi.READY);
    return ready != null
        && ready.isTrue()
        && Objects.equals(ready.getObservedGeneration(), generation);
  }

  private static String diagnostics(KubernetesClient client, String policy, String namespace) {
    StringBuilder out = new StringBuilder();
    out.append("--- policy\n")
        .append(
            Serialization.asYaml(client.resources(OSUpdatePolicy.class).withName(policy).get()));
    for (OSNode osNode : client.resources(OSNode.class).list().getItems()) {
      out.append("--- OSNode\n").append(Serialization.asYaml(osNode));
    }
    for (Pod pod : client.pods().inNamespace(namespace).list().getItems()) {
      String name = pod.getMetadata().getName();
      out.append("--- log of ").append(name).append('\n');
      try {
        out.append(
            client.pods().inNamespace(namespace).withName(name).tailingLines(LOG_LINES).getLog());
      } catch (RuntimeException e) {
        out.append("(no log: ").append(e.getMessage()).append(")\n");
      }
    }
    return out.toString();
  }
}
