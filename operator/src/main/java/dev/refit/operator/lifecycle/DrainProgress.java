package dev.refit.operator.lifecycle;

/** How a node's drain is going. */
public enum DrainProgress {
  /** No drain runs for the node (never started, or the operator restarted). */
  NOT_RUNNING,
  /** Evictions are under way or evicted pods are still terminating. */
  RUNNING,
  /** Every pod that must leave is gone. */
  DONE
}
