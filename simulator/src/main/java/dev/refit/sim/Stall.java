package dev.refit.sim;

import dev.refit.api.Condition;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.api.RefitApi;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Decides, from what the simulator observed, that a run cannot make progress, so it ends rather
 * than waiting for its timeout. A run is stuck when, for a settle period, nothing changed (no
 * Node's cordon or boot, no OSNode's state, no policy's status), no node is in the middle of an
 * update, and the operator has settled every policy: each has a status for its current generation
 * whose {@code Progressing} condition is false, whatever its reason (or, without one, whose {@code
 * Ready} condition is true). A policy that is progressing, or that the operator has not reported on
 * yet, keeps the run going; so does a node in the middle of an update, even under a halted policy:
 * every phase ends by itself (the operator enforces a timeout on each), so it is slow, not stuck.
 *
 * <p>Pure: the caller passes the time and what it saw.
 */
final class Stall {

  /** The shortest settle period. */
  static final double MIN_SETTLE_SECONDS = 5;

  private final double settleSeconds;
  private String seen;
  private double changedAt;

  Stall(double settleSeconds) {
    this.settleSeconds = settleSeconds;
  }

  /**
   * Long enough for any one host step the scenario describes to show (a node's drain, staging,
   * reboot, return to Ready and its pods' restart, then the policies' soak), and never under {@link
   * #MIN_SETTLE_SECONDS}: a node in the middle of a step has changed by then.
   */
  static double settleSeconds(Scenario scenario, List<OSUpdatePolicy> policies) {
    double termination =
        scenario.workloads().stream()
            .mapToDouble(Scenario.WorkloadSpec::terminationSeconds)
            .max()
            .orElse(0);
    double start =
        scenario.workloads().stream()
            .mapToDouble(Scenario.WorkloadSpec::startSeconds)
            .max()
            .orElse(0);
    Scenario.Timing timing = scenario.timing();
    double step =
        termination
            + start
            + timing.stageSeconds()
            + timing.rebootSeconds()
            + timing.readySeconds();
    int soak =
        policies.stream()
            .filter(p -> p.getSpec().getRollout() != null)
            .mapToInt(p -> p.getSpec().getRollout().getSoakSeconds())
            .max()
            .orElse(0);
    return Math.max(MIN_SETTLE_SECONDS, step) + soak;
  }

  /** Something changed outside what {@link #judge} sees (the operator was started again). */
  void changed(double now) {
    seen = null;
    changedAt = now;
  }

  /**
   * Null while the run may still make progress; else what is stuck and why.
   *
   * @param now seconds on the run's clock
   * @param policies the policies as last observed
   * @param nodes what was observed of each node (cordon, boot, OSNode state), to compare
   * @param inFlight the nodes observed in the middle of an update, with their state: while there is
   *     one, the run is not stuck
   */
  String judge(
      double now, List<OSUpdatePolicy> policies, Map<String, String> nodes, List<String> inFlight) {
    String observed = fingerprint(policies, nodes);
    if (!observed.equals(seen)) {
      seen = observed;
      changedAt = now;
      return null;
    }
    if (now - changedAt < settleSeconds
        || !inFlight.isEmpty()
        || !policies.stream().allMatch(Stall::settled)) {
      return null;
    }
    List<String> why = new ArrayList<>();
    for (OSUpdatePolicy policy : policies) {
      Condition progressing = policy.getStatus().condition(RefitApi.PROGRESSING);
      why.add(
          policy.getMetadata().getName()
              + ": "
              + (progressing == null
                  ? "Ready"
                  : progressing.getReason() + ": " + progressing.getMessage()));
    }
    return String.format(
        "the rollout cannot make progress: nothing changed for %.0f s and no policy is"
            + " progressing%n  %s",
        now - changedAt, String.join(System.lineSeparator() + "  ", why));
  }

  /** The operator has reported on the policy's current spec, and it is not progressing. */
  static boolean settled(OSUpdatePolicy policy) {
    if (policy.getStatus() == null || policy.getStatus().getObservedGeneration() == null) {
      return false;
    }
    Long generation = policy.getMetadata().getGeneration();
    if (generation != null && policy.getStatus().getObservedGeneration() < generation) {
      return false;
    }
    Condition ready = policy.getStatus().condition(RefitApi.READY);
    Condition progressing = policy.getStatus().condition(RefitApi.PROGRESSING);
    return progressing != null
        ? progressing.getStatus() == Condition.Status.False
        : ready != null && ready.isTrue();
  }

  private static String fingerprint(List<OSUpdatePolicy> policies, Map<String, String> nodes) {
    StringBuilder all = new StringBuilder(nodes.toString());
    for (OSUpdatePolicy policy : policies) {
      all.append('|')
          .append(Objects.toString(policy.getMetadata().getGeneration()))
          .append(Serialization.asJson(policy.getStatus()));
    }
    return all.toString();
  }
}
