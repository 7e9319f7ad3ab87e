package dev.refit.api;

/** What to do when a drain does not finish within its timeout. */
public enum OnTimeout {
  /** Mark the node Failed, uncordon it on its old OS, and stop the rollout (Degraded). */
  Halt,
  /** Give up on this node for the current target: uncordon it and move on to the next. */
  Skip,
  /** Delete the remaining pods without the Eviction API, ignoring PodDisruptionBudgets. */
  Force
}
