package dev.refit.sim;

import dev.refit.api.Condition;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.api.PolicyReasons;
import dev.refit.api.RefitApi;
import dev.refit.testing.invariants.Settled;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides that a run has finished, from what the simulator observed ({@link Settled}), and holds
 * the operator's {@code Progressing} condition against it as a cross-check only. Two disagreements
 * are reported, each once per episode, never acted on:
 *
 * <ul>
 *   <li>the fleet has settled, but a policy's operator still says it is progressing (or has not
 *       reported on its current generation) a grace period later: the run ends all the same. That
 *       it waits for nodes it may not start ({@code WaitingForNodes}, {@code WaitingForSlots}) is
 *       no disagreement: the verdict holds those nodes out too, and the run ends at once;
 *   <li>a policy's operator says it is {@code Complete} or {@code Halted}, but the observed fleet
 *       has not settled that policy for longer than the grace period: the run goes on.
 * </ul>
 *
 * <p>Pure: the caller passes the time, the verdict and the policies as watched.
 */
final class Ending {

  private final double graceSeconds;
  private final List<Report.Discrepancy> discrepancies = new ArrayList<>();
  private final Map<String, Double> claimedSince = new HashMap<>();
  private final Map<String, Boolean> claimReported = new HashMap<>();
  private Double settledSince;

  Ending(double graceSeconds) {
    this.graceSeconds = graceSeconds;
  }

  /**
   * Whether the run has finished: the fleet is observed settled, and the operator agrees or has had
   * the grace period to.
   *
   * @param now seconds on the run's clock
   * @param observed the verdict on the fleet as last seen
   * @param policies the live policies as last watched
   */
  boolean finished(double now, Settled.Verdict observed, List<OSUpdatePolicy> policies) {
    if (!observed.settled()) {
      settledSince = null;
      return false;
    }
    if (settledSince == null) {
      settledSince = now;
    }
    List<OSUpdatePolicy> disagreeing =
        policies.stream().filter(p -> progressing(p) != null && !waitsForOthers(p)).toList();
    if (disagreeing.isEmpty()) {
      return true;
    }
    if (now - settledSince < graceSeconds) {
      return false;
    }
    for (OSUpdatePolicy policy : disagreeing) {
      discrepancies.add(
          new Report.Discrepancy(
              Observer.round(now),
              policy.getMetadata().getName(),
              "observed settled, but the operator says " + progressing(policy)));
    }
    return true;
  }

  /**
   * The operator says the rest of the policy waits for nodes it may not start (NotReady, cordoned
   * by someone else): what the observed verdict calls held out, so it agrees.
   */
  static boolean waitsForOthers(OSUpdatePolicy policy) {
    Condition progressing = current(policy);
    return progressing != null
        && (PolicyReasons.WAITING_FOR_NODES.equals(progressing.getReason())
            || PolicyReasons.WAITING_FOR_SLOTS.equals(progressing.getReason()));
  }

  /** What was reported, earliest first. */
  List<Report.Discrepancy> discrepancies() {
    return List.copyOf(discrepancies);
  }

  /**
   * Holds each policy's claim to be finished against the observed verdict on it; a claim that
   * disagrees for longer than the grace period is reported.
   */
  void crossCheck(double now, Settled.Verdict observed, List<OSUpdatePolicy> policies) {
    for (OSUpdatePolicy policy : policies) {
      String name = policy.getMetadata().getName();
      Settled.PolicyVerdict verdict =
          observed.policies().stream()
              .filter(v -> v.policy().equals(name))
              .findFirst()
              .orElse(null);
      String claim = finishedClaim(policy);
      if (claim == null || verdict == null || verdict.settled()) {
        claimedSince.remove(name);
        claimReported.remove(name);
        continue;
      }
      double since = claimedSince.computeIfAbsent(name, n -> now);
      if (now - since > graceSeconds && claimReported.putIfAbsent(name, true) == null) {
        discrepancies.add(
            new Report.Discrepancy(
                Observer.round(now),
                name,
                "the operator says "
                    + claim
                    + ", but observed: "
                    + verdict.waitingFor()
                    + String.format(" (for %.0f s)", now - since)));
      }
    }
  }

  /**
   * The operator's claim that the policy is finished ({@code Complete} or {@code Halted}), or null.
   */
  static String finishedClaim(OSUpdatePolicy policy) {
    Condition progressing = current(policy);
    if (progressing == null
        || progressing.getStatus() != Condition.Status.False
        || !("Complete".equals(progressing.getReason())
            || "Halted".equals(progressing.getReason()))) {
      return null;
    }
    return "Progressing=False " + progressing.getReason();
  }

  /**
   * What the operator says while it says the policy is still progressing (or has not reported on
   * its current generation); null when it says it is not.
   */
  static String progressing(OSUpdatePolicy policy) {
    Condition progressing = current(policy);
    if (progressing == null) {
      return "nothing on generation " + policy.getMetadata().getGeneration();
    }
    if (progressing.getStatus() == Condition.Status.False) {
      return null;
    }
    return "Progressing="
        + progressing.getStatus()
        + " "
        + progressing.getReason()
        + ": "
        + progressing.getMessage();
  }

  /** The Progressing condition of a status for the policy's current generation, or null. */
  private static Condition current(OSUpdatePolicy policy) {
    var status = policy.getStatus();
    if (status == null || status.getObservedGeneration() == null) {
      return null;
    }
    Long generation = policy.getMetadata().getGeneration();
    if (generation != null && status.getObservedGeneration() < generation) {
      return null;
    }
    return status.condition(RefitApi.PROGRESSING);
  }
}
