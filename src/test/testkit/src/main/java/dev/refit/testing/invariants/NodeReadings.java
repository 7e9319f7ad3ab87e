package dev.refit.testing.invariants;

import dev.refit.api.RefitApi;
import io.fabric8.kubernetes.api.model.Node;
import java.util.Map;

/**
 * What a watcher reads off a Node: its cordon, whose cordon it is, readiness and boot ID. Written
 * here from the Kubernetes fields, not borrowed from the operator, so the judge stays independent.
 */
public final class NodeReadings {

  private NodeReadings() {}

  /** Cordoned, by anyone. */
  public static boolean unschedulable(Node node) {
    return node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable());
  }

  /** Cordoned, and marked as Refit's cordon. */
  public static boolean refitCordoned(Node node) {
    Map<String, String> annotations = node.getMetadata().getAnnotations();
    return unschedulable(node)
        && annotations != null
        && annotations.containsKey(RefitApi.CORDONED_ANNOTATION);
  }

  /** The kubelet reports Ready. */
  public static boolean ready(Node node) {
    return node.getStatus() != null
        && node.getStatus().getConditions() != null
        && node.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** Out of service: cordoned or not Ready. */
  public static boolean outOfService(Node node) {
    return unschedulable(node) || !ready(node);
  }

  /** The boot ID the kubelet reports, or null. */
  public static String bootId(Node node) {
    return node.getStatus() == null || node.getStatus().getNodeInfo() == null
        ? null
        : node.getStatus().getNodeInfo().getBootID();
  }

  /** What decides whether a node is settled, as one comparable line: cordon, readiness, boot. */
  static String facts(Node node) {
    return unschedulable(node)
        + "/"
        + refitCordoned(node)
        + "/"
        + ready(node)
        + "/"
        + bootId(node)
        + "/"
        + new java.util.TreeMap<>(
            node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels());
  }
}
