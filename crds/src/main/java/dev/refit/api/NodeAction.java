package dev.refit.api;

/** What the operator asks a node's agent to do. */
public enum NodeAction {
  /** Nothing: report host facts only. */
  None,
  /** Download and stage the target without disruption (no reboot, no drain needed). */
  Stage,
  /**
   * Make the staged target current: finalize and reboot if it needs a reboot, apply live otherwise.
   * Only given to a drained node.
   */
  Apply,
  /** Boot back into the previous deployment. Only given to a drained node. */
  Rollback
}
