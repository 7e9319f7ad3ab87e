package dev.refit.api;

/** Where a node is in its update lifecycle, as the operator records it on its OSNode. */
public enum NodeState {
  /** Running the target; nothing to do. */
  UpToDate,
  /** The target changed; the agent has not started staging yet. */
  Pending,
  /** The agent is downloading and staging the target (no disruption). */
  Staging,
  /** The target is staged; the node waits for a disruption slot. */
  Staged,
  /** Refit cordoned the node; the drain starts next. */
  Cordoned,
  /** Pods are being evicted. */
  Draining,
  /** All pods that must leave are gone; the agent may apply. */
  Drained,
  /** The agent was told to apply; waiting for the new boot. */
  Rebooting,
  /** The node booted the target; checking it is Ready and healthy. */
  Verifying,
  /** The update failed; the node counts against the failure budget. */
  Failed,
  /** The drain timed out with onTimeout Skip: the node keeps its old OS for this target. */
  Skipped,
  /** The node is being rolled back to its previous deployment. */
  RollingBack;

  /** Whether the node is out of service because of Refit (counts as disrupted). */
  public boolean disrupted() {
    return switch (this) {
      case Cordoned, Draining, Drained, Rebooting, Verifying, RollingBack -> true;
      default -> false;
    };
  }
}
