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
  /**
   * A change that needs no reboot (SELinux booleans, modules) is being applied live. Holds a
   * disruption slot but no cordon.
   */
  Applying,
  /** The node booted the target; checking it is Ready and healthy. */
  Verifying,
  /**
   * The update failed for the current target; the node counts against the failure budget. Refit
   * keeps its cordon only while the node may be broken or may still reboot (NotReady, a reboot its
   * agent has not settled, unhealthy on the target); otherwise the node goes back into service on
   * its old OS. Delete the OSNode to retry the node.
   */
  Failed,
  /** The drain timed out with onTimeout Skip: the node keeps its old OS for this target. */
  Skipped,
  /** The node is being rolled back to its previous deployment. */
  RollingBack;

  /** Whether Refit keeps the node cordoned in this state. */
  public boolean cordoned() {
    return switch (this) {
      case Cordoned, Draining, Drained, Rebooting, Verifying, RollingBack -> true;
      default -> false;
    };
  }

  /**
   * Whether the node holds one of the policy's disruption slots (counts against maxUnavailable).
   */
  public boolean occupiesSlot() {
    return cordoned() || this == Applying;
  }
}
