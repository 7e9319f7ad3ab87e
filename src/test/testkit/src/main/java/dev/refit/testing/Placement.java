package dev.refit.testing;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The scheduler's part, reduced to what drains exercise: a pod fits a node that is Ready, not
 * cordoned, not tainted NoSchedule/NoExecute, matches the pod's nodeSelector and has room for
 * another pod. Among fitting nodes the least loaded wins, then the first by name.
 */
final class Placement {

  private Placement() {}

  static List<Node> fitting(List<Node> nodes, Map<String, String> nodeSelector) {
    return nodes.stream()
        .filter(n -> fits(n, nodeSelector))
        .sorted(Comparator.comparing(n -> n.getMetadata().getName()))
        .toList();
  }

  static Optional<String> choose(
      List<Node> nodes, Map<String, String> nodeSelector, Map<String, Integer> podsPerNode) {
    return fitting(nodes, nodeSelector).stream()
        .filter(n -> podsPerNode.getOrDefault(n.getMetadata().getName(), 0) < capacity(n))
        .map(n -> n.getMetadata().getName())
        .min(
            Comparator.<String>comparingInt(n -> podsPerNode.getOrDefault(n, 0))
                .thenComparing(Comparator.naturalOrder()));
  }

  /**
   * Non-terminating pods per node: those in {@code known} plus our own recent placements ({@code
   * "namespace/name"} to node) that {@code known} does not show yet.
   */
  static Map<String, Integer> podsPerNode(List<Pod> known, Map<String, String> own) {
    Map<String, Integer> load = new HashMap<>();
    Set<String> seen = new HashSet<>();
    for (Pod pod : known) {
      String node = pod.getSpec().getNodeName();
      seen.add(pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName());
      if (node != null && !node.isEmpty() && !PdbOracle.isTerminating(pod)) {
        load.merge(node, 1, Integer::sum);
      }
    }
    own.forEach(
        (pod, node) -> {
          if (!node.isEmpty() && !seen.contains(pod)) {
            load.merge(node, 1, Integer::sum);
          }
        });
    return load;
  }

  static boolean fits(Node node, Map<String, String> nodeSelector) {
    if (node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable())) {
      return false;
    }
    if (node.getSpec() != null && node.getSpec().getTaints() != null) {
      for (Taint taint : node.getSpec().getTaints()) {
        if ("NoSchedule".equals(taint.getEffect()) || "NoExecute".equals(taint.getEffect())) {
          return false;
        }
      }
    }
    Map<String, String> labels = node.getMetadata().getLabels();
    for (Map.Entry<String, String> wanted : nodeSelector.entrySet()) {
      if (labels == null || !wanted.getValue().equals(labels.get(wanted.getKey()))) {
        return false;
      }
    }
    return isReady(node);
  }

  static boolean isReady(Node node) {
    return node != null
        && node.getStatus() != null
        && node.getStatus().getConditions() != null
        && node.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static int capacity(Node node) {
    return Optional.ofNullable(node.getStatus().getAllocatable())
        .map(a -> a.get("pods"))
        .map(Quantity::getAmount)
        .map(Integer::parseInt)
        .orElse(Integer.MAX_VALUE);
  }
}
