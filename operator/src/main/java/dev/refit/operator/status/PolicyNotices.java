package dev.refit.operator.status;

import dev.refit.api.Condition;
import dev.refit.api.EventReasons;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.api.OSUpdatePolicyStatus;
import dev.refit.api.PolicyReasons;
import dev.refit.api.RefitApi;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The Events on a policy when its conditions change in a way a person should hear about. */
public final class PolicyNotices {
  private PolicyNotices() {}

  /**
   * What the change from {@code before} to {@code after} means: a new Degraded reason (or other
   * nodes left behind), a drain that became blocked, the Prometheus check starting to hold the
   * rollout, the rollout completing.
   */
  public static List<Notice> transitions(
      OSUpdatePolicy policy, OSUpdatePolicyStatus before, OSUpdatePolicyStatus after) {
    List<Notice> notices = new ArrayList<>();
    Condition degradedBefore = condition(before, RefitApi.DEGRADED);
    Condition degraded = condition(after, RefitApi.DEGRADED);
    if (degraded != null
        && degraded.isTrue()
        && (degradedBefore == null
            || !degradedBefore.isTrue()
            || !Objects.equals(degradedBefore.getReason(), degraded.getReason())
            || (PolicyReasons.NODES_NEED_ATTENTION.equals(degraded.getReason())
                && !Objects.equals(degradedBefore.getMessage(), degraded.getMessage())))) {
      notices.add(Notice.warning(policy, degraded.getReason(), degraded.getMessage()));
    }
    Condition progressingBefore = condition(before, RefitApi.PROGRESSING);
    Condition progressing = condition(after, RefitApi.PROGRESSING);
    if (progressing != null
        && PolicyReasons.DRAIN_BLOCKED.equals(progressing.getReason())
        && (progressingBefore == null
            || !PolicyReasons.DRAIN_BLOCKED.equals(progressingBefore.getReason()))) {
      notices.add(Notice.warning(policy, EventReasons.DRAIN_BLOCKED, progressing.getMessage()));
    }
    if (progressing != null
        && PolicyReasons.HEALTH_QUERY.equals(progressing.getReason())
        && !progressing.isTrue()
        && (progressingBefore == null
            || !PolicyReasons.HEALTH_QUERY.equals(progressingBefore.getReason())
            || progressingBefore.isTrue())) {
      notices.add(Notice.warning(policy, EventReasons.HEALTH_QUERY, progressing.getMessage()));
    }
    Condition readyBefore = condition(before, RefitApi.READY);
    Condition ready = condition(after, RefitApi.READY);
    if (ready != null && ready.isTrue() && (readyBefore == null || !readyBefore.isTrue())) {
      notices.add(Notice.normal(policy, EventReasons.ROLLOUT_COMPLETE, ready.getMessage()));
    }
    return notices;
  }

  private static Condition condition(OSUpdatePolicyStatus status, String type) {
    return status == null ? null : status.condition(type);
  }
}
