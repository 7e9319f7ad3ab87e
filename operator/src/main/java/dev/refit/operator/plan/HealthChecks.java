package dev.refit.operator.plan;

import dev.refit.api.HealthCheck;
import dev.refit.api.Selector;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;

/** Whether a node passes its policy's health checks (beyond being Ready). */
public final class HealthChecks {
  private HealthChecks() {}

  /**
   * The pods of {@code healthCheck.podSelector} among the node's pods are all Ready; {@code pods}
   * is null while the node's pods have not been listed yet. Without a pod selector there is nothing
   * more to check.
   */
  public static boolean healthy(HealthCheck check, List<Pod> pods) {
    Selector selector = check.getPodSelector();
    if (selector == null) {
      return true;
    }
    if (pods == null) {
      return false;
    }
    return pods.stream()
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
