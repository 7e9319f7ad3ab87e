package dev.refit.operator.policy;

import dev.refit.api.Condition;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.api.OSUpdatePolicyStatus;
import dev.refit.api.RefitApi;
import dev.refit.operator.events.EventRecorder;
import dev.refit.operator.events.EventRecorder.Type;
import java.util.Objects;

/** Events on a policy when its conditions change in a way a person should hear about. */
final class PolicyEvents {
  private PolicyEvents() {}

  static void transitions(
      EventRecorder events,
      OSUpdatePolicy policy,
      OSUpdatePolicyStatus before,
      OSUpdatePolicyStatus after) {
    Condition degradedBefore = before == null ? null : before.condition(RefitApi.DEGRADED);
    Condition degraded = after.condition(RefitApi.DEGRADED);
    if (degraded != null
        && degraded.isTrue()
        && (degradedBefore == null
            || !degradedBefore.isTrue()
            || !Objects.equals(degradedBefore.getReason(), degraded.getReason()))) {
      events.record(policy, Type.Warning, degraded.getReason(), degraded.getMessage());
    }
    Condition progressingBefore = before == null ? null : before.condition(RefitApi.PROGRESSING);
    Condition progressing = after.condition(RefitApi.PROGRESSING);
    if (progressing != null
        && "DrainBlocked".equals(progressing.getReason())
        && (progressingBefore == null || !"DrainBlocked".equals(progressingBefore.getReason()))) {
      events.record(policy, Type.Warning, "DrainBlocked", progressing.getMessage());
    }
    Condition readyBefore = before == null ? null : before.condition(RefitApi.READY);
    Condition ready = after.condition(RefitApi.READY);
    if (ready != null && ready.isTrue() && (readyBefore == null || !readyBefore.isTrue())) {
      events.record(policy, Type.Normal, "RolloutComplete", ready.getMessage());
    }
  }
}
