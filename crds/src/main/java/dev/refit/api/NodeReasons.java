package dev.refit.api;

/**
 * The reasons an OSNode's {@code spec.reason} carries: why the operator moved the node to its
 * state. People read them in {@code kubectl get osnodes}, and alerts and scripts match them, so
 * they are part of the API and never change meaning.
 */
public final class NodeReasons {
  private NodeReasons() {}

  /** Staging failed more often than allowed; the node is Failed for this revision. */
  public static final String STAGE_FAILED = "StageFailed";

  /** Staging failed and is retried after a backoff. */
  public static final String STAGE_RETRY = "StageRetry";

  /** The staged update disappeared from the host before it was applied; staging again. */
  public static final String STAGE_LOST = "StageLost";

  /** The drain did not finish within {@code drain.timeoutSeconds} (onTimeout Halt or Skip). */
  public static final String DRAIN_TIMED_OUT = "DrainTimedOut";

  /** The drain timed out under onTimeout Force: the remaining pods are deleted without eviction. */
  public static final String DRAIN_FORCED = "DrainForced";

  /** The agent could not apply the staged update. */
  public static final String APPLY_FAILED = "ApplyFailed";

  /** The node did not come back from its reboot within {@code healthCheck.rebootTimeoutSeconds}. */
  public static final String REBOOT_TIMEOUT = "RebootTimeout";

  /** The node rebooted but was not healthy within {@code healthCheck.readyTimeoutSeconds}. */
  public static final String READY_TIMEOUT = "ReadyTimeout";

  /** The policy's target changed while the node was on its way to the previous one. */
  public static final String TARGET_CHANGED = "TargetChanged";

  /**
   * The node's host is not eligible (another agent would update or reboot it on its own): the node
   * waits, unstaged and undisrupted, with the agent's message, until a person fixes the host.
   */
  public static final String HOST_REFUSED = "HostRefused";

  /** The node reached the target through an update (not one that already ran it). */
  public static final String UPDATED = "Updated";

  /**
   * Cordoned or Verifying: the node waits for gates (spec.gates) an external system must set to
   * "true" on the Node; the message names them.
   */
  public static final String WAITING_FOR_GATE = "WaitingForGate";

  /**
   * Failed: the node failed its verification on the target and was rolled back
   * (failurePolicy.autoRollback); it runs its previous OS, Ready and healthy, and is back in
   * service. It counts against the failure budget.
   */
  public static final String ROLLED_BACK = "RolledBack";

  /**
   * Failed: a rollback of failurePolicy.autoRollback failed (the host could not roll back, or the
   * node was not back on its previous OS, Ready and healthy, in time).
   */
  public static final String ROLLBACK_FAILED = "RollbackFailed";

  /**
   * Failed or Skipped: a gate stayed unset for gates.timeoutSeconds. Before the drain it follows
   * gates.onTimeout; after the reboot it fails the node and halts the rollout.
   */
  public static final String GATE_TIMED_OUT = "GateTimedOut";

  /**
   * An updated host that reports another revision later (a boot-time self-rollback, or a person
   * rolling back by hand) fails instead of being updated again, so a host that keeps rolling itself
   * back is not drained in a loop, and a bad update stops the rollout.
   */
  public static final String DRIFTED = "Drifted";

  /**
   * An updated host that runs the target OS but lost the declared SELinux state (a boolean flipped,
   * a module removed, {@code setenforce 0} by hand): it is staged again and, when its slot comes,
   * the declared state is applied again, live where it can be. Not a failure; a re-apply that fails
   * is.
   */
  public static final String SELINUX_DRIFT = "SelinuxDrift";

  /**
   * The node's OS fixes its SELinux policy (Bottlerocket), so it cannot have what the policy
   * declares beyond Enforcing; its OS update goes on without it.
   */
  public static final String SELINUX_NOT_CONFIGURABLE = "SelinuxNotConfigurable";

  /**
   * A canary that went NotReady or failed its health check while the rest of the fleet waited on
   * its soak: the canary failed, and the rollout halts whatever the failure budget.
   */
  public static final String CANARY_UNHEALTHY = "CanaryUnhealthy";

  /**
   * Failed or Skipped before its cordon: a PodDisruptionBudget covering a pod on the node can never
   * allow an eviction (even with every pod it selects healthy), so its drain could never finish.
   * The node is handled as drain.onTimeout says without being cordoned first: Halt fails it and
   * halts the rollout, Skip skips it. (Under Force the drain runs, and is forced at its timeout.)
   */
  public static final String UNSATISFIABLE_BUDGET = "UnsatisfiableBudget";
}
