package dev.refit.operator.policy;

import dev.refit.api.NodeCounts;
import dev.refit.api.NodeProblem;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.api.OSUpdatePolicySpec;
import dev.refit.api.OSUpdatePolicyStatus;
import dev.refit.api.RefitApi;
import dev.refit.api.Revisions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns what the operator knows about a policy into its status: conditions a person can act on,
 * counts, and a bounded list of node problems. Pure: the same facts give the same status, so the
 * reconciler can compare and write only when something changed.
 */
public final class PolicyStatusComposer {

  private PolicyStatusComposer() {}

  /** The status the policy should have now. */
  public static OSUpdatePolicyStatus compose(
      OSUpdatePolicy policy, Claims claims, List<SpecProblem> specProblems, Instant now) {
    OSUpdatePolicySpec spec = policy.getSpec();
    String name = policy.getMetadata().getName();
    long generation = generationOf(policy);
    OSUpdatePolicyStatus previous = policy.getStatus();
    Map<String, List<String>> conflicts = claims.conflictsOf(name);
    int managed = claims.managedBy(name).size();

    OSUpdatePolicyStatus status = new OSUpdatePolicyStatus();
    status.setObservedGeneration(generation);
    status.setTarget(spec.getOs().display());
    status.setTargetRevision(Revisions.of(spec));
    NodeCounts counts = new NodeCounts();
    counts.setTotal(managed);
    counts.setPending(managed);
    counts.setExcluded(claims.excludedFrom(name).size() + conflicts.size());
    status.setNodes(counts);
    status.setProgress("0/" + managed);
    status.setProblems(conflictProblems(conflicts, previous, now));

    ConditionSet conditions =
        new ConditionSet(previous == null ? null : previous.getConditions(), generation, now);
    boolean noNodes = managed == 0 && conflicts.isEmpty();
    if (noNodes) {
      conditions.set(
          RefitApi.READY,
          false,
          "NoMatchingNodes",
          "nodeSelector "
              + spec.getNodeSelector()
              + " matches no node"
              + (claims.excludedFrom(name).isEmpty()
                  ? ""
                  : " that is not labelled " + RefitApi.EXCLUDE_LABEL)
              + "; check the labels of the nodes you meant to select");
    } else {
      conditions.set(
          RefitApi.READY,
          dev.refit.api.Condition.Status.Unknown,
          "AwaitingNodeReports",
          managed + " nodes selected; waiting for their node-updaters to report what they run");
    }
    conditions.set(
        RefitApi.PROGRESSING,
        false,
        noNodes ? "NoMatchingNodes" : "AwaitingNodeReports",
        noNodes ? "nothing to update" : "no node has reported yet");
    setDegraded(conditions, specProblems, conflicts);
    boolean paused = Boolean.TRUE.equals(spec.getRollout().getPaused());
    conditions.set(
        RefitApi.PAUSED,
        paused,
        paused ? "PausedBySpec" : "NotPaused",
        paused
            ? "spec.rollout.paused is true: no node starts a disruption until it is set to false"
            : "the rollout may start node disruptions");
    status.setConditions(conditions.build());
    return status;
  }

  private static void setDegraded(
      ConditionSet conditions,
      List<SpecProblem> specProblems,
      Map<String, List<String>> conflicts) {
    List<String> messages = new ArrayList<>();
    String reason = null;
    for (SpecProblem problem : specProblems) {
      reason = reason == null ? problem.reason() : reason;
      messages.add(problem.message());
    }
    if (!conflicts.isEmpty()) {
      reason = reason == null ? "NodeConflict" : reason;
      messages.add(conflictMessage(conflicts));
    }
    if (reason == null) {
      conditions.set(RefitApi.DEGRADED, false, "NoProblems", "nothing needs attention");
    } else {
      conditions.set(RefitApi.DEGRADED, true, reason, String.join("; ", messages));
    }
  }

  private static String conflictMessage(Map<String, List<String>> conflicts) {
    Map<String, List<String>> byOtherPolicy =
        conflicts.entrySet().stream()
            .collect(
                Collectors.groupingBy(
                    e -> String.join(", ", e.getValue()),
                    java.util.TreeMap::new,
                    Collectors.mapping(Map.Entry::getKey, Collectors.toList())));
    List<String> parts = new ArrayList<>();
    byOtherPolicy.forEach(
        (others, nodes) ->
            parts.add(
                nodes.size()
                    + (nodes.size() == 1 ? " node is" : " nodes are")
                    + " also selected by policy "
                    + others
                    + " ("
                    + abbreviate(nodes)
                    + ")"));
    return String.join(", ", parts)
        + "; Refit leaves such nodes alone until exactly one policy selects each: narrow one of"
        + " the nodeSelectors or label the nodes "
        + RefitApi.EXCLUDE_LABEL;
  }

  private static List<NodeProblem> conflictProblems(
      Map<String, List<String>> conflicts, OSUpdatePolicyStatus previous, Instant now) {
    List<NodeProblem> problems = new ArrayList<>();
    for (Map.Entry<String, List<String>> conflict : conflicts.entrySet()) {
      if (problems.size() == OSUpdatePolicyStatus.MAX_PROBLEMS) {
        break;
      }
      String message = "also selected by policy " + String.join(", ", conflict.getValue());
      problems.add(
          new NodeProblem(
              conflict.getKey(),
              "NodeConflict",
              message,
              since(previous, conflict.getKey(), "NodeConflict", now)));
    }
    return problems;
  }

  /** When a node's problem began: carried forward from the previous status if it is the same. */
  static String since(OSUpdatePolicyStatus previous, String node, String reason, Instant now) {
    if (previous != null) {
      for (NodeProblem problem : previous.getProblems()) {
        if (node.equals(problem.getNode()) && reason.equals(problem.getReason())) {
          return problem.getSince();
        }
      }
    }
    return now.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  static String abbreviate(List<String> names) {
    int shown = Math.min(names.size(), 5);
    String list = String.join(", ", names.subList(0, shown));
    return names.size() > shown ? list + " and " + (names.size() - shown) + " more" : list;
  }

  private static long generationOf(OSUpdatePolicy policy) {
    Long generation = policy.getMetadata().getGeneration();
    return generation == null ? 0 : generation;
  }
}
