package dev.refit.sim;

import dev.refit.api.NodeCounts;
import dev.refit.api.NodeState;
import dev.refit.api.OSNode;
import dev.refit.api.OSUpdatePolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Whether each policy's status counts agree with its OSNodes, read from the API at the end of a
 * run: an OSNode event the operator lost would leave a count behind what the OSNodes say. The
 * counting (which states are pending, which updating) is the API's documented meaning of {@link
 * NodeCounts}, done here on its own rather than by the operator's code.
 */
final class PolicyTally {

  /**
   * One policy: its status counts and the counts of its OSNodes, as {@code total updated updating
   * pending failed skipped}.
   */
  record Line(String policy, String reported, String counted) {
    boolean agrees() {
      return reported.equals(counted);
    }
  }

  private PolicyTally() {}

  /** Reads every policy and OSNode now and compares them. */
  static List<Line> read(KubernetesClient client) {
    Map<String, NodeCounts> counted = new TreeMap<>();
    for (OSNode osNode : client.resources(OSNode.class).list().getItems()) {
      if (osNode.getSpec() != null && osNode.getSpec().getPolicy() != null) {
        count(
            counted.computeIfAbsent(osNode.getSpec().getPolicy(), p -> new NodeCounts()),
            osNode.getSpec().getState());
      }
    }
    List<Line> lines = new ArrayList<>();
    for (OSUpdatePolicy policy : client.resources(OSUpdatePolicy.class).list().getItems()) {
      String name = policy.getMetadata().getName();
      NodeCounts reported = policy.getStatus() == null ? null : policy.getStatus().getNodes();
      lines.add(
          new Line(
              name,
              reported == null ? "none" : text(reported),
              text(counted.getOrDefault(name, new NodeCounts()))));
    }
    return lines;
  }

  private static void count(NodeCounts counts, NodeState state) {
    counts.setTotal(counts.getTotal() + 1);
    if (state == null) {
      counts.setPending(counts.getPending() + 1);
      return;
    }
    switch (state) {
      case UpToDate -> counts.setUpdated(counts.getUpdated() + 1);
      case Pending, Staging, Staged -> counts.setPending(counts.getPending() + 1);
      case Failed -> counts.setFailed(counts.getFailed() + 1);
      case Skipped -> counts.setSkipped(counts.getSkipped() + 1);
      default -> counts.setUpdating(counts.getUpdating() + 1);
    }
  }

  private static String text(NodeCounts c) {
    return String.format(
        "%d %d %d %d %d %d",
        c.getTotal(),
        c.getUpdated(),
        c.getUpdating(),
        c.getPending(),
        c.getFailed(),
        c.getSkipped());
  }
}
