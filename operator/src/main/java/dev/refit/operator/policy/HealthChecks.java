package dev.refit.operator.policy;

import dev.refit.api.HealthCheck;
import dev.refit.api.Selector;
import dev.refit.operator.drain.NodePods;
import io.fabric8.kubernetes.api.model.Pod;

/** Whether a node passes its policy's health checks (beyond being Ready). */
final class HealthChecks {
  private HealthChecks() {}

  /**
   * The pods of {@code healthCheck.podSelector} on the node are all Ready (and the node's pods have
   * been listed). Without a pod selector there is nothing more to check.
   */
  static boolean healthy(HealthCheck check, NodePods pods, String node) {
    Selector selector = check.getPodSelector();
    if (selector == null) {
      return true;
    }
    if (!pods.synced(node)) {
      return false;
    }
    return pods.pods(node).stream()
        .filter(p -> selector.matches(p.getMetadata().getLabels()))
        .allMatch(HealthChecks::ready);
  }

  private static boolean ready(Pod pod) {
    return pod.getStatus() != null
        && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
