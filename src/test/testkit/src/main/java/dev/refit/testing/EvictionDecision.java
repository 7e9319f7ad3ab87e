package dev.refit.testing;

import java.time.Instant;

/**
 * One answer of the embedded API to {@code POST .../pods/NAME/eviction}.
 *
 * @param time when the API decided
 * @param namespace the pod's namespace
 * @param pod the pod's name
 * @param budget the PodDisruptionBudget that decided, or null when none covered the pod (or the pod
 *     was missing, or several budgets covered it)
 * @param outcome what the API answered
 * @param message the message of the Status the client received
 */
public record EvictionDecision(
    Instant time, String namespace, String pod, String budget, Outcome outcome, String message) {

  /** The API's answer, with its HTTP code. */
  public enum Outcome {
    /** 201: the pod is now terminating (or gone, for a zero grace period or an unbound pod). */
    ALLOWED(201),
    /** 429: evicting would leave the budget with fewer healthy pods than it needs. */
    BLOCKED(429),
    /** 404: no such pod. */
    NOT_FOUND(404),
    /** 500: more than one budget covers the pod, which the eviction API does not support. */
    MULTIPLE_BUDGETS(500);

    private final int code;

    Outcome(int code) {
      this.code = code;
    }

    public int code() {
      return code;
    }
  }

  public boolean allowed() {
    return outcome == Outcome.ALLOWED;
  }

  public boolean blocked() {
    return outcome == Outcome.BLOCKED;
  }
}
