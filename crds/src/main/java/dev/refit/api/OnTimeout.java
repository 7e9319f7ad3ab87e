package dev.refit.api;

/** What to do when a drain does not finish within its timeout. */
public enum OnTimeout {
  /** Stop the rollout (Degraded) and leave the node cordoned for a person to look at. */
  Halt,
  /** Give up on this node for the current target: uncordon it and move on to the next. */
  Skip,
  /** Delete the remaining pods without the Eviction API, ignoring PodDisruptionBudgets. */
  Force
}
