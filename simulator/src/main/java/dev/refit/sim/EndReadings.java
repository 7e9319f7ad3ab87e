package dev.refit.sim;

import dev.refit.api.OSNode;
import dev.refit.api.OSNodeSpec;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.api.OSUpdatePolicyStatus;
import dev.refit.api.PolicyReasons;
import dev.refit.api.RefitApi;
import dev.refit.sim.Report.PolicyReport;
import io.fabric8.kubernetes.api.model.Node;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of the report read once the run is over: each policy's whole status, why each node that
 * is not on the target is not, and the pods no node could take.
 */
final class EndReadings {

  private EndReadings() {}

  static PolicyReport policyReport(OSUpdatePolicy policy) {
    OSUpdatePolicyStatus status = policy.getStatus();
    return new PolicyReport(
        policy.getMetadata().getName(),
        status == null ? List.of() : status.getConditions(),
        status == null ? null : status.getNodes(),
        status);
  }

  static List<Report.UnschedulablePod> unschedulable(SimulatedFleet fleet) {
    return fleet.snapshotWorkloads == null
        ? List.of()
        : fleet.snapshotWorkloads.unplaced().stream()
            .map(u -> new Report.UnschedulablePod(u.pod(), u.workload(), u.reason(), u.placedOn()))
            .toList();
  }

  /** The evictions the API refused, by the node of the pod and the budget that refused. */
  private static Map<String, Map<String, Long>> blockedByNode(SimulatedFleet fleet) {
    Map<String, Map<String, Long>> byNode = new HashMap<>();
    for (var decision : fleet.api.evictions()) {
      String node = fleet.podHomes.nodeOf(decision.namespace(), decision.pod());
      if (decision.blocked() && node != null) {
        byNode
            .computeIfAbsent(node, n -> new java.util.TreeMap<>())
            .merge(decision.namespace() + "/" + decision.budget(), 1L, Long::sum);
      }
    }
    return byNode;
  }

  /** The OSNodes at the end, by name. */
  static Map<String, OSNode> osNodes(SimulatedFleet fleet) {
    Map<String, OSNode> osNodes = new HashMap<>();
    fleet
        .api
        .client()
        .resources(OSNode.class)
        .list()
        .getItems()
        .forEach(n -> osNodes.put(n.getMetadata().getName(), n));
    return osNodes;
  }

  /** Why each node that is not on the target is not: what its OSNode and the evictions say. */
  static Map<String, String> notUpdated(SimulatedFleet fleet, List<OSUpdatePolicy> policies) {
    Map<String, OSNodeSpec> specs = new HashMap<>();
    osNodes(fleet).forEach((name, osNode) -> specs.put(name, osNode.getSpec()));
    Map<String, Map<String, Long>> blocked = blockedByNode(fleet);
    Map<String, String> lines = new HashMap<>();
    for (Node node : fleet.api.client().nodes().list().getItems()) {
      String name = node.getMetadata().getName();
      Map<String, String> labels = node.getMetadata().getLabels();
      List<String> selecting =
          policies.stream()
              .filter(p -> p.getSpec().getNodeSelector().matches(labels))
              .filter(p -> labels == null || !labels.containsKey(RefitApi.EXCLUDE_LABEL))
              .map(p -> p.getMetadata().getName())
              .toList();
      OSNodeSpec spec = specs.get(name);
      lines.put(
          name,
          NotUpdated.because(
              new NotUpdated.Facts(
                  selecting,
                  spec == null || spec.getState() == null ? null : spec.getState().name(),
                  spec == null ? null : spec.getReason(),
                  spec == null ? null : spec.getMessage(),
                  blocked.getOrDefault(name, Map.of()),
                  selecting.size() == 1 ? halt(policies, selecting.get(0)) : null)));
    }
    return lines;
  }

  /** Why the policy is halted, as its Degraded reason, or null when it is not halted. */
  private static String halt(List<OSUpdatePolicy> policies, String name) {
    return policies.stream()
        .filter(p -> p.getMetadata().getName().equals(name) && p.getStatus() != null)
        .findFirst()
        .filter(p -> isHalted(p.getStatus().condition(RefitApi.PROGRESSING)))
        .map(
            p -> {
              var degraded = p.getStatus().condition(RefitApi.DEGRADED);
              return degraded == null ? "halted" : degraded.getReason();
            })
        .orElse(null);
  }

  private static boolean isHalted(dev.refit.api.Condition progressing) {
    return progressing != null && PolicyReasons.HALTED.equals(progressing.getReason());
  }
}
