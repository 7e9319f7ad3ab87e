package dev.refit.api;

/** Names shared by the operator, the node-updater and the manifests. */
public final class RefitApi {
  private RefitApi() {}

  public static final String GROUP = "refit.dev";
  public static final String VERSION = "v1alpha1";
  public static final String API_VERSION = GROUP + "/" + VERSION;

  /** Node label: Refit never touches a node that carries it (any value). */
  public static final String EXCLUDE_LABEL = GROUP + "/exclude";

  /**
   * Node annotation Refit sets when it cordons a node, so it uncordons only nodes it cordoned. Its
   * value is the name of the policy that cordoned the node.
   */
  public static final String CORDONED_ANNOTATION = GROUP + "/cordoned";

  /**
   * Pod annotation: the pod opts out of disruption by a drain, for good ({@code "true"}) or for a
   * time after it started (a duration: {@code "90s"}, {@code "30m"}, {@code "2h"}, {@code
   * "1h30m"}). The drain waits for it, within its timeout.
   */
  public static final String DO_NOT_DISRUPT_ANNOTATION = GROUP + "/do-not-disrupt";

  /** Label on every OSNode naming its policy, so a policy's OSNodes can be listed and watched. */
  public static final String POLICY_LABEL = GROUP + "/policy";

  /** Condition types of an OSUpdatePolicy. */
  public static final String READY = "Ready";

  public static final String PROGRESSING = "Progressing";
  public static final String DEGRADED = "Degraded";
  public static final String PAUSED = "Paused";

  /**
   * Condition type of an OSNode's status: whether the host meets what Refit needs to update it
   * safely. False names, in its reason and message, what the node-updater found (another agent that
   * updates or reboots the host on its own, say) and what a person must do; while it is False the
   * node-updater starts no work on the host, and the operator neither stages nor disrupts the node.
   */
  public static final String ELIGIBLE = "Eligible";
}
