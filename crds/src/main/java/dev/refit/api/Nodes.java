package dev.refit.api;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import java.util.Map;

/**
 * The facts of a Node object that Refit acts on, read one way everywhere: whether it is Ready, its
 * boot ID (a new one proves a reboot), whether it is cordoned, and whether Refit cordoned it.
 */
public final class Nodes {
  private Nodes() {}

  /** The status of the Node's Ready condition ("True", "False", "Unknown"), or null if none. */
  public static String readyStatus(Node node) {
    if (node.getStatus() == null || node.getStatus().getConditions() == null) {
      return null;
    }
    return node.getStatus().getConditions().stream()
        .filter(c -> "Ready".equals(c.getType()))
        .map(NodeCondition::getStatus)
        .findFirst()
        .orElse(null);
  }

  /** Whether the Node's Ready condition is True. */
  public static boolean ready(Node node) {
    return "True".equals(readyStatus(node));
  }

  /** The boot ID the kubelet reports, or null before it reported one. */
  public static String bootId(Node node) {
    return node.getStatus() == null || node.getStatus().getNodeInfo() == null
        ? null
        : node.getStatus().getNodeInfo().getBootID();
  }

  /** Whether the Node is cordoned, by anyone. */
  public static boolean unschedulable(Node node) {
    return node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable());
  }

  /** Whether the Node carries Refit's cordon annotation (Refit lifts only its own cordon). */
  public static boolean cordonedByRefit(Node node) {
    Map<String, String> annotations = node.getMetadata().getAnnotations();
    return annotations != null && annotations.containsKey(RefitApi.CORDONED_ANNOTATION);
  }
}
