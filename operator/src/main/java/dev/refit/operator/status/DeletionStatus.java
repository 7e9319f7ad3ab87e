package dev.refit.operator.status;

import dev.refit.api.ConditionSet;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.api.OSUpdatePolicyStatus;
import dev.refit.api.PolicyReasons;
import dev.refit.api.RefitApi;
import dev.refit.operator.plan.Teardown;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The status and Event of a policy being deleted: {@code Progressing} True with the reason {@code
 * Deleting} and a message that says what the deletion waits for, naming nodes ("waiting for w-3 to
 * finish its reboot; then lifting 1 cordon and deleting 1 OSNode"); the other conditions as they
 * were.
 */
public final class DeletionStatus {
  private DeletionStatus() {}

  /** What the deletion waits for, as one line. */
  public static String line(Teardown.Result plan) {
    Map<String, List<String>> byWhy = new LinkedHashMap<>();
    plan.waiting()
        .forEach(w -> byWhy.computeIfAbsent(w.why(), k -> new ArrayList<>()).add(w.name()));
    List<String> parts = new ArrayList<>();
    byWhy.forEach((why, names) -> parts.add(PolicyStatusComposer.abbreviate(names) + " " + why));
    int osNodes = plan.waiting().size();
    return "waiting for "
        + String.join(", ", parts)
        + "; then lifting "
        + count(plan.cordonsLeft(), "cordon")
        + " and deleting "
        + count(osNodes, "OSNode");
  }

  /** The status while the deletion waits. */
  public static OSUpdatePolicyStatus compose(
      OSUpdatePolicy policy, Teardown.Result plan, Instant now) {
    OSUpdatePolicyStatus previous = policy.getStatus();
    OSUpdatePolicyStatus status = new OSUpdatePolicyStatus();
    if (previous != null) {
      // what the rollout last reported stays (counts, problems); only what it waits for changes
      status.setObservedGeneration(previous.getObservedGeneration());
      status.setTarget(previous.getTarget());
      status.setTargetRevision(previous.getTargetRevision());
      status.setProgress(previous.getProgress());
      status.setNodes(previous.getNodes());
      status.setProblems(previous.getProblems());
      status.setNextWindow(previous.getNextWindow());
      status.setSlots(previous.getSlots());
    }
    String line = line(plan);
    ConditionSet conditions =
        new ConditionSet(
            previous == null ? null : previous.getConditions(),
            policy.getMetadata().getGeneration(),
            now);
    conditions.set(RefitApi.PROGRESSING, true, PolicyReasons.DELETING, line);
    if (previous != null) {
      previous.getConditions().stream()
          .filter(c -> !RefitApi.PROGRESSING.equals(c.getType()))
          .forEach(c -> conditions.set(c.getType(), c.getStatus(), c.getReason(), c.getMessage()));
    }
    status.setConditions(conditions.build());
    status.setWaitingFor(line);
    return status;
  }

  /** The Event on the policy when what its deletion waits for changes. */
  public static List<Notice> notices(
      OSUpdatePolicy policy, OSUpdatePolicyStatus before, OSUpdatePolicyStatus after) {
    String was = before == null ? null : before.getWaitingFor();
    if (Objects.equals(was, after.getWaitingFor())) {
      return List.of();
    }
    return List.of(Notice.normal(policy, PolicyReasons.DELETING, after.getWaitingFor()));
  }

  /** The Event on the policy when its deletion waits for nothing (any more). */
  public static Notice finished(OSUpdatePolicy policy, Teardown.Result plan, int deleted) {
    int lifted =
        (int)
                plan.revoked().stream()
                    .filter(i -> Teardown.cordonedBy(policy.getMetadata().getName(), i.node()))
                    .count()
            + plan.strayCordons().size();
    return Notice.normal(
        policy,
        PolicyReasons.DELETING,
        "lifted "
            + count(lifted, "cordon")
            + " and deleted "
            + count(deleted, "OSNode")
            + "; the policy goes now");
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
