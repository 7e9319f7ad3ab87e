package dev.refit.operator.lifecycle;

/** How one node's update for one target ended, when it ended. */
public enum Outcome {
  /** Running the target, verified, back in service. */
  UPDATED,
  /** Failed; counts against the failure budget. */
  FAILED,
  /** Left on its old OS for this target (drain timed out with onTimeout Skip). */
  SKIPPED,
  /**
   * Failed its verification on the target and was rolled back to its previous OS
   * (failurePolicy.autoRollback); counts against the failure budget.
   */
  ROLLED_BACK
}
