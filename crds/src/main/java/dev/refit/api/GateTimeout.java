package dev.refit.api;

/** What a gate that stays unset for {@code gates.timeoutSeconds} before the drain does. */
public enum GateTimeout {
  /** Mark the node Failed, uncordon it on its old OS, and stop the rollout (Degraded). */
  Halt,
  /** Give up on this node for the current target: uncordon it and move on to the next. */
  Skip
}
