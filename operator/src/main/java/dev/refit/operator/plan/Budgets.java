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
}
