package dev.refit.api;

/**
 * The reasons of an OSUpdatePolicy's conditions ({@code Ready}, {@code Progressing}, {@code
 * Degraded}, {@code Paused}). Alerts, scripts and GitOps health checks match them, so they are part
 * of the API and never change meaning.
 */
public final class PolicyReasons {
  private PolicyReasons() {}

  /** Ready/Progressing: the nodeSelector matches no node (that is not excluded). */
  public static final String NO_MATCHING_NODES = "NoMatchingNodes";

  /** Ready: every managed node runs the target. */
  public static final String ALL_NODES_UPDATED = "AllNodesUpdated";

  /** Ready: some managed nodes do not run the target yet. */
  public static final String UPDATES_PENDING = "UpdatesPending";

  /** Progressing: the rollout is halted (see Degraded for why). */
  public static final String HALTED = "Halted";

  /** Progressing: every node is updated, failed or skipped; nothing more happens. */
  public static final String COMPLETE = "Complete";

  /** Progressing (and an Event): a node's drain is blocked, by a PodDisruptionBudget say. */
  public static final String DRAIN_BLOCKED = "DrainBlocked";

  /** Progressing: no node starts now (paused, outside a window, a spec problem). */
  public static final String HELD = "Held";

  /**
   * Progressing (True): a read the next start needs went unanswered (the server's Nodes and policy
   * before a disruption, the budgets of the next node's pods), so no node starts until the API
   * server answers; nodes under way go on. The message names the request and the answer; the
   * operator asks again by itself, after 1 s, doubling up to 16 s.
   */
  public static final String WAITING_FOR_API_SERVER = "WaitingForApiServer";

  /**
   * Progressing (and an Event when it holds the rollout): healthCheck.prometheus keeps nodes from
   * starting, because its query returns series, failed or timed out (status False), or because
   * Prometheus is being asked before the next node starts (status True). The message names the
   * series or the error; the rollout goes on by itself once the query returns no series.
   */
  public static final String HEALTH_QUERY = "HealthQuery";

  /** Progressing: nodes are being disrupted and updated. */
  public static final String ROLLING_OUT = "RollingOut";

  /**
   * Progressing: the canaries of spec.rollout.canary are updating or soaking; no other node starts
   * until every canary is updated and stayed healthy for the soak.
   */
  public static final String CANARY = "Canary";

  /**
   * Degraded: a canary failed (its update, its verification, or its health during the soak) or was
   * skipped; the rollout is halted whatever the failure budget until its OSNode is deleted (to try
   * it again) or the target changes.
   */
  public static final String CANARY_FAILED = "CanaryFailed";

  /** Progressing: nodes are staging the update (nothing is disrupted yet). */
  public static final String STAGING = "Staging";

  /** Progressing/Degraded: nodes wait because their hosts are not eligible. */
  public static final String HOSTS_REFUSED = "HostsRefused";

  /**
   * Progressing: staged nodes could start, but every disruption slot is held, and none by a node
   * Refit is disrupting now (nodes NotReady, cordoned by someone else, failed and kept cordoned).
   * The message names the holders; the rollout goes on by itself when one comes back.
   */
  public static final String WAITING_FOR_SLOTS = "WaitingForSlots";

  /**
   * Progressing: the nodes left to update are staged but none can start now: each is NotReady or
   * cordoned by someone else. The message names them.
   */
  public static final String WAITING_FOR_NODES = "WaitingForNodes";

  /**
   * Degraded: nodes were left behind for the current target and need a person: failed (and perhaps
   * kept cordoned) or skipped, though the failure budget is not spent. The message names them and
   * why; {@code status.problems} lists them until they are updated or the target changes.
   */
  public static final String NODES_NEED_ATTENTION = "NodesNeedAttention";

  /** Degraded: nothing needs attention. */
  public static final String NO_PROBLEMS = "NoProblems";

  /** Degraded: a drain timed out under onTimeout Halt. */
  public static final String DRAIN_TIMED_OUT = "DrainTimedOut";

  /**
   * Degraded: a gate of spec.gates stayed unset for gates.timeoutSeconds (before a drain under
   * gates.onTimeout: Halt, or after a reboot); the rollout is halted until the node's OSNode is
   * deleted or the target changes.
   */
  public static final String GATE_TIMED_OUT = "GateTimedOut";

  /**
   * Degraded: under drain.onTimeout Halt, a node was not cordoned because a PodDisruptionBudget on
   * one of its pods can never allow an eviction; the rollout is halted until the node's OSNode is
   * deleted (once the budget or its workload changed) or the target changes.
   */
  public static final String UNSATISFIABLE_BUDGET = "UnsatisfiableBudget";

  /**
   * Degraded: spec.selinux asks for what some nodes' OS cannot have (Bottlerocket's policy is fixed
   * and always Enforcing); their OS update goes on, and the message names them and the request.
   */
  public static final String SELINUX_NOT_CONFIGURABLE = NodeReasons.SELINUX_NOT_CONFIGURABLE;

  /** Degraded: the failure budget ({@code failurePolicy.maxFailedNodes}) is spent. */
  public static final String FAILURE_BUDGET_EXHAUSTED = "FailureBudgetExhausted";

  /** Degraded: nodes are selected by more than one policy; Refit leaves them alone. */
  public static final String NODE_CONFLICT = "NodeConflict";

  /** Degraded: a maintenance window names a time zone the operator does not know. */
  public static final String INVALID_TIME_ZONE = "InvalidTimeZone";

  /**
   * Degraded: the spec lacks a part Refit needs (an object stored before the CRD required it, or by
   * an API server that does not enforce it), or holds a value the schema cannot judge (a blackout
   * on February 30). No node is touched until it is fixed.
   */
  public static final String INVALID_SPEC = "InvalidSpec";

  /**
   * Degraded (and a Warning Event): the operator cannot read the CIL source of an SELinux module
   * the policy names by configMapRef (the ConfigMap or its key is missing, the namespace is not one
   * Refit watches, the API refused the read), so it cannot tell the revision the policy asks for.
   * The rollout holds at the last revision it could read: no node starts, and nodes already on it
   * stay as they are. It resumes by itself once the ConfigMap is there (its watch wakes the
   * policy).
   */
  public static final String MODULE_SOURCE_UNAVAILABLE = "ModuleSourceUnavailable";

  /**
   * Progressing (and an Event): the policy is being deleted; the message says what the deletion
   * waits for (a node finishing its reboot) before Refit lifts its cordons, deletes the policy's
   * OSNodes and lets the policy go.
   */
  public static final String DELETING = "Deleting";

  /** Paused: {@code spec.rollout.paused} is true. */
  public static final String PAUSED_BY_SPEC = "PausedBySpec";

  /** Paused: the rollout may start node disruptions. */
  public static final String NOT_PAUSED = "NotPaused";
}
