package dev.refit.api;

/**
 * The reasons of the Events Refit records on Nodes and policies ({@code kubectl describe}). A
 * node's failure is recorded with its {@link NodeReasons} reason, and a policy's new Degraded
 * condition with its {@link PolicyReasons} reason.
 */
public final class EventReasons {
  private EventReasons() {}

  /** Node: cordoned for an update; its pods are evicted next. */
  public static final String CORDONED = "Cordoned";

  /** Node: Refit's cordon was lifted (an update that did not end in success, or a release). */
  public static final String UNCORDONED = "Uncordoned";

  /** Node: every pod that must leave is gone. */
  public static final String DRAINED = "Drained";

  /** Node: told to apply the update and reboot. */
  public static final String REBOOTING = "Rebooting";

  /** Node: told to apply the update live, without a reboot. */
  public static final String APPLYING = "Applying";

  /** Node: runs the target and is uncordoned. */
  public static final String UPDATED = NodeReasons.UPDATED;

  /** Node and policy: a drain is blocked (a PodDisruptionBudget, a pod that will not leave). */
  public static final String DRAIN_BLOCKED = PolicyReasons.DRAIN_BLOCKED;

  /** Warning: healthCheck.prometheus returns series or fails, so no node starts. */
  public static final String HEALTH_QUERY = PolicyReasons.HEALTH_QUERY;

  /** Policy: every managed node runs the target. */
  public static final String ROLLOUT_COMPLETE = "RolloutComplete";

  /** Normal, on a Node: it waits for gates of spec.gates an external system must set. */
  public static final String WAITING_FOR_GATE = NodeReasons.WAITING_FOR_GATE;
}
