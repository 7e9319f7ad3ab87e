package dev.refit.operator.plan;

import io.fabric8.kubernetes.api.model.IntOrString;

/** Turns int-or-percent fields into node counts. */
public final class Budgets {
  private Budgets() {}

  /**
   * Most nodes that may be unavailable at once: an integer, or a percentage of the managed nodes
   * rounded down, but never less than 1 (a rollout must be able to move).
   */
  public static int maxUnavailable(IntOrString value, int total) {
    return Math.max(1, resolve(value, total, false));
  }

  /** Failed nodes that halt the rollout: an integer, or a percentage rounded up, at least 1. */
  public static int maxFailed(IntOrString value, int total) {
    return Math.max(1, resolve(value, total, true));
  }

  /**
   * Unhealthy nodes the policy tolerates before no disruption starts: an integer, or a percentage
   * of the managed nodes rounded down (0 is allowed: any unhealthy node holds the rollout); -1 when
   * the policy sets no such limit.
   */
  public static int maxUnhealthy(IntOrString value, int total) {
    return value == null ? -1 : resolve(value, total, false);
  }

  private static int resolve(IntOrString value, int total, boolean roundUp) {
    if (value == null) {
      return 1;
    }
    if (value.getIntVal() != null) {
      return value.getIntVal();
    }
    String text = value.getStrVal().trim();
    if (!text.endsWith("%")) {
      return Integer.parseInt(text);
    }
    long percent = Long.parseLong(text.substring(0, text.length() - 1));
    long scaled = total * percent;
    return (int) (roundUp ? (scaled + 99) / 100 : scaled / 100);
  }

  /**
   * Evictions a PodDisruptionBudget allows when all {@code expected} pods it selects are healthy
   * (the disruption controller's arithmetic: percentages of the expected count rounded up). 0 or
   * less means it never allows one: only a change to the budget or its workload, or the drain's
   * timeout, ends a drain it blocks.
   */
  public static int allowedWhenAllHealthy(
      IntOrString minAvailable, IntOrString maxUnavailable, int expected) {
    if (minAvailable != null) {
      return expected - scaledUp(minAvailable, expected);
    }
    if (maxUnavailable != null) {
      return Math.min(expected, scaledUp(maxUnavailable, expected));
    }
    return expected;
  }

  private static int scaledUp(IntOrString value, int total) {
    try {
      return resolve(value, total, true);
    } catch (NumberFormatException e) {
      return 0; // a budget the API server would not have stored; it allows nothing it can read
    }
  }
}
